"""Old kanji forms (旧字体) read as the forms written today.

An elderly writer who learned to write before 1946, or whose input method offers them, types
「孫娘が仙臺から歸って來る」 or 「醫者が足りぬ」. Neither the dictionary (MeCab reads 臺 and 歸 as words of
their own), the entries nor the sentence vector know those forms, so such a letter found nothing.
Unicode normalization leaves them alone (they are characters of their own, not compatibility
forms). The pairs below are the old forms of the jōyō kanji that changed shape in 1946–1949, and
the two obsolete kana ゐ and ゑ; a form still written today (龍, 嶋) is not among them. Only what
the concierge reads is changed; what a person types into a form is kept as typed.
"""

from __future__ import annotations

import re

# Old form, modern form, in pairs.
_PAIRS = (
    "亞亜惡悪壓圧圍囲爲為醫医壹壱隱隠營営榮栄衞衛驛駅圓円鹽塩奧奥應応歐欧毆殴櫻桜假仮價価畫画會会"
    "壞壊懷懐繪絵擴拡覺覚學学嶽岳樂楽渴渇卷巻陷陥勸勧寬寛關関歡歓觀観氣気歸帰僞偽戲戯犧犠舊旧據拠"
    "擧挙峽峡挾挟狹狭曉暁區区驅駆勳勲徑径惠恵溪渓經経繼継莖茎螢蛍輕軽鷄鶏藝芸缺欠儉倹劍剣圈圏檢検"
    "權権獻献縣県險険顯顕驗験嚴厳效効廣広恆恒鑛鉱號号國国濟済碎砕齋斎劑剤册冊雜雑參参慘惨棧桟蠶蚕"
    "贊賛殘残絲糸齒歯兒児辭辞濕湿實実舍舎寫写釋釈壽寿收収從従澁渋獸獣縱縦肅粛處処緖緒敍叙將将稱称"
    "涉渉燒焼證証奬奨條条狀状乘乗淨浄剩剰疊畳孃嬢讓譲釀醸觸触寢寝愼慎眞真盡尽圖図粹粋醉酔隨随髓髄"
    "數数樞枢聲声靜静齊斉攝摂竊窃專専戰戦淺浅潛潜纖繊踐践錢銭禪禅雙双壯壮搜捜插挿爭争總総聰聡莊荘"
    "裝装騷騒藏蔵臟臓卽即屬属續続墮堕體体對対帶帯滯滞臺台擇択澤沢單単擔担膽胆團団彈弾斷断癡痴遲遅"
    "晝昼蟲虫鑄鋳廳庁徵徴聽聴敕勅鎭鎮遞逓鐵鉄轉転點点傳伝黨党盜盗燈灯當当鬭闘德徳獨独讀読屆届繩縄"
    "貳弐惱悩腦脳廢廃拜拝賣売麥麦發発髮髪拔抜蠻蛮祕秘濱浜拂払佛仏竝並變変邊辺辨弁瓣弁辯弁舖舗步歩"
    "穗穂寶宝豐豊沒没飜翻每毎萬万滿満默黙譯訳藥薬與与豫予餘余譽誉搖揺樣様謠謡來来賴頼亂乱覽覧兩両"
    "獵猟綠緑壘塁淚涙勵励禮礼隸隷靈霊齡齢戀恋爐炉勞労樓楼祿禄錄録灣湾姬姫黑黒歷歴曆暦卑卑巢巣"
    "產産閒間敎教淸清靑青內内尙尚郞郎姊姉絕絶硏研强強吳呉黃黄增増"
    "ゐいゑえヰイヱエ"
)
_MODERN = str.maketrans({old: new for old, new in zip(_PAIRS[::2], _PAIRS[1::2], strict=True) if old != new})


# The historical kana spellings such a writer uses with them, where they cannot be anything else:
# でせう, ませう, やう, さう, といふ; ひ, へ, ふ at the end of a verb's kanji stem (伺ひたい, 考へる, 言ふ).
_HISTORICAL_KANA = (
    (re.compile(r"(?<=[でま])せう"), "しょう"),
    (re.compile(r"(?<=[のなど])やう"), "よう"),
    (re.compile(r"(?<=[ぁ-ん一-龯])さう(?=[だでにな])"), "そう"),
    (re.compile(r"(?<=と)いふ"), "いう"),
    (re.compile(r"(?<=[一-龯])ひ(?=(たい|ます|ません|ましょう|ました))"), "い"),
    (re.compile(r"(?<=[一-龯])へ(?=(る|ます|ません|ました|て|ねば|ない|れば))"), "え"),
    (re.compile(r"(?<=[一-龯])ふ(?=[。、？！\s]|$)"), "う"),
)


# The words of politeness such a writer still types in kanji where most write them in kana today
# (「誠に有難う御座いました」「宜しく御願い致します」「教えて下さい」): the recognizer reads letters as
# well as words, and knows them in kana. 頂戴 and 出来事 stay as they are.
_KANA_TODAY = (
    (re.compile(r"有り?難う"), "ありがとう"),
    (re.compile(r"御座(?=[いりるっ])"), "ござ"),
    (re.compile(r"宜しく"), "よろしく"),
    (re.compile(r"御願い"), "お願い"),
    (re.compile(r"致(?=[しすせさ])"), "いた"),
    (re.compile(r"下さ(?=[いる])"), "くださ"),
    (re.compile(r"頂(?=[きくけいかこ])"), "いただ"),
    (re.compile(r"出来(?=[るれずなまたてそよ])"), "でき"),
)


def modern_forms(text: str) -> str:
    """``text`` with old kanji forms (and ゐ, ゑ, the historical kana spelling of a few endings and
    the kanji of a few polite words) written as today: 「仙臺に歸る」 is 「仙台に帰る」, 「伺ひたい」 is
    「伺いたい」, 「有難う御座います」 is 「ありがとうございます」."""
    text = text.translate(_MODERN)
    for old, new in (*_HISTORICAL_KANA, *_KANA_TODAY):
        text = old.sub(new, text)
    return text
