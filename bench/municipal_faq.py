"""A knowledge base grown to a municipal FAQ's size with entries shaped like one (bench only).

`search_latency.synthetic` grows the knowledge base by copying the real questions into new
entries, so every question is written in several entries: `kb check` refuses such a base, and no
ranking by words is ever sure in it. A city's own FAQ (the ~1,800-entry one the issue names) is
many services times a few things asked of each — what it costs, where, when, which papers — and
each question is in one entry. This builds that shape: every service below crossed with every
aspect, each entry with three phrasings and an answer that names whom to ask (no figures).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

from knowledge.entries import Entry

# A city's services, one per group of entries (separated by whitespace).
_SERVICES = """
    住民票の写し 印鑑登録 戸籍謄本 マイナンバーカード 国民健康保険 国民年金 後期高齢者医療
    介護保険 児童手当 児童扶養手当 ごみの収集 粗大ごみ 資源ごみ 犬の登録 狂犬病の予防注射
    水道の使用開始 下水道の接続 市営墓地 市立図書館 市民プール 総合体育館 公民館の利用
    市民会館のホール 住宅用火災警報器 道路の補修 街灯の故障 公園の使用 期日前投票 市民税
    固定資産税 軽自動車税 納税証明書 所得証明書 子どもの予防接種 がん検診 特定健診
    母子健康手帳 妊婦健診 乳幼児健診 放課後児童クラブ 就学援助 市の奨学金 転校の手続き
    生活保護 障害者手帳 補装具の給付 成年後見制度 消費生活相談 無料法律相談 空き家の管理
    建築確認 農地の転用 有害鳥獣の駆除 自治会への加入 市民活動の助成 姉妹都市との交流
    市の広報紙 市議会の傍聴 情報公開の請求 入札の参加資格 市職員の採用試験 市役所の駐車場
    コミュニティバスの定期券 敬老パス 高齢者の見守り 配食サービス 福祉タクシー券
    ひとり親家庭の医療費 不妊治療の助成 産後ケア ファミリーサポートの会員登録 病児保育
    幼稚園の預かり保育 小学校の入学準備 中学校の部活動 学校給食のアレルギー対応 スクールバス
    通学路の安全 防災無線 避難所の場所 防災マップ ハザードマップ 消火器の処分 家電のリサイクル
    生ごみ処理機の補助 太陽光発電の補助 薪ストーブの設置 合併浄化槽の補助 住宅の耐震診断
    屋根の雪下ろしの補助 除雪車の通る時間 雪の捨て場 排雪の申し込み 凍結した水道管
    市営住宅の家賃の減免 住居確保給付金 就労支援の相談 職業訓練 シルバー人材センター
    創業の相談窓口 商店街の空き店舗 農業の新規就農 漁業の担い手 林業の体験 観光案内所
    ふるさと納税の申し込み 市の花と木 市の歌 市章 市長への手紙 パブリックコメント 市民の意見箱
    出前講座 生涯学習の講座 市民文化祭 スポーツ少年団 青少年の健全育成 成人式 結婚の届け出
    出生の届け出 死亡の届け出 転入の届け出 転出の届け出 パスポートの申請 臨時の運行許可
"""
SERVICES = tuple(_SERVICES.split())

# (what is asked, three ways to ask it, the answer's sentence)
ASPECTS = (
    (
        "手続き",
        ("{s}の手続きの流れを知りたい", "{s}はどうやって申し込むの", "{s}の申請方法"),
        "{s}の手続きは、担当課の窓口で受け付けています。",
    ),
    (
        "書類",
        ("{s}で必要な書類は何ですか", "{s}の持ち物を教えて", "{s}に何を持っていけばいい"),
        "{s}に必要な書類は、担当課のページでご確認ください。",
    ),
    (
        "手数料",
        ("{s}の手数料はかかりますか", "{s}って有料？", "{s}の費用"),
        "{s}の手数料は、担当課にお問い合わせください。",
    ),
    (
        "受付時間",
        ("{s}の受付時間は", "{s}は土日も受け付けていますか", "{s}は何時まで"),
        "{s}の受付時間は、平日の開庁時間です。",
    ),
    (
        "場所",
        ("{s}はどこの窓口ですか", "{s}の担当課はどこ", "{s}の問い合わせ先"),
        "{s}は、市役所の担当課が受け付けています。",
    ),
    (
        "対象",
        ("{s}の対象になる人は", "{s}は誰が使えますか", "{s}の条件"),
        "{s}の対象は、市内にお住まいの方などです。",
    ),
    (
        "期限",
        ("{s}の申請期限はいつまで", "{s}に締め切りはありますか", "{s}はいつまでに出せばいい"),
        "{s}の期限は、担当課にご確認ください。",
    ),
    (
        "郵送",
        ("{s}は郵送でもできますか", "{s}を郵便で申し込みたい", "{s}の郵送請求"),
        "{s}の郵送での受付は、担当課にお問い合わせください。",
    ),
    (
        "代理人",
        ("{s}は家族が代わりにできますか", "{s}の代理申請", "{s}を代理人に頼みたい"),
        "{s}の代理での手続きには、委任状が必要な場合があります。",
    ),
    (
        "オンライン",
        ("{s}はネットで申し込めますか", "{s}のオンライン申請", "{s}を電子申請したい"),
        "{s}のオンラインでの手続きは、市のホームページをご覧ください。",
    ),
    (
        "変更",
        ("{s}の内容を変更するには", "{s}の変更届", "{s}の登録内容を直したい"),
        "{s}の変更は、担当課の窓口で受け付けています。",
    ),
    (
        "廃止",
        ("{s}をやめるときは", "{s}の廃止の届け出", "{s}の取りやめ"),
        "{s}をやめるときは、担当課に届け出てください。",
    ),
    (
        "期間",
        ("{s}はどのくらいかかりますか", "{s}の処理期間", "{s}は何日で終わる"),
        "{s}にかかる日数は、担当課にお問い合わせください。",
    ),
    (
        "問い合わせ",
        ("{s}について電話で聞きたい", "{s}の電話番号", "{s}の相談先"),
        "{s}のお問い合わせは、市役所の代表電話から担当課へおつなぎします。",
    ),
    (
        "更新",
        ("{s}の更新はいつ", "{s}の有効期限", "{s}の更新の手続き"),
        "{s}の更新の時期は、担当課にご確認ください。",
    ),
    (
        "外国人",
        ("外国籍でも{s}は使えますか", "{s}の外国人の手続き", "{s}の英語の案内"),
        "外国籍の方の{s}は、担当課にご相談ください。",
    ),
)


def _entries() -> Iterator[Entry]:
    for s_at, service in enumerate(SERVICES):
        for a_at, (_aspect, asked, answer) in enumerate(ASPECTS):
            yield Entry(
                id=f"city-{s_at:03d}-{a_at:02d}",
                category="市役所の手続き",
                questions=tuple(q.format(s=service) for q in asked),
                answer=answer.format(s=service),
                reviewed=date(2026, 11, 27),
                no_source="generated for the benchmark: names whom to ask, states no figure",
            )


def municipal(entries: list[Entry], size: int, rng: random.Random) -> list[Entry]:
    """``entries`` and, up to ``size``, generated entries in a random order of services and aspects."""
    generated = list(_entries())
    rng.shuffle(generated)
    needed = size - len(entries)
    if needed > len(generated):
        raise ValueError(f"at most {len(entries) + len(generated)} entries")
    return [*entries, *generated[:needed]]
