"""What the concierge says, in one voice (polite, short, phone-sized), keyed by language.

Each :class:`Text` holds the Japanese and, where there is one, the English wording; which one a
turn uses is decided once, on the turn's context (``bot.router.Context.language``), from
:func:`language_of`. Texts without English are said in Japanese to everyone (the menu and the
forms are Japanese). A form's own questions and confirmations live with the form that asks
them (``intents/lead.py``, ``intents/privacy.py``, ``intents/handoff.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from knowledge.normalize import is_english

Language = Literal["ja", "en"]
JAPANESE: Language = "ja"
ENGLISH: Language = "en"
# A button's payload whose prefix ends so ("faq-en:…") was offered under an English answer:
# what it leads to is in English too.
ENGLISH_PAYLOAD = "-en:"


def language_of(text: str, payload: str | None = None) -> Language:
    """English for a button from an English answer, or for text in Latin letters; else Japanese."""
    if payload is not None and ENGLISH_PAYLOAD in payload.partition(":")[0] + ":":
        return ENGLISH
    return ENGLISH if is_english(text) else JAPANESE


@dataclass(frozen=True)
class Text:
    ja: str
    en: str | None = None  # None: said in Japanese in either language

    def in_(self, language: Language) -> str:
        return self.en if language == ENGLISH and self.en is not None else self.ja


WELCOME = Text(
    "北見市 移住・Uターン案内(コンシェルジュ)です。\n"
    "北見での暮らし・仕事・住まい・支援制度などの質問に、市の公開情報をもとにお答えします。"
)
PRIVACY_NOTE = Text(
    "※ご質問の内容は回答の改善のため一定期間記録します。お名前などの個人情報は入力しないでください。"
)
MENU_PROMPT = Text("知りたいことを選ぶか、ご質問をそのまま入力してください。")
HELP = Text(
    "使い方:\n"
    "・「空港から市内まで何分？」のように、質問をそのまま送ってください。\n"
    "・「メニュー」で分野から選べます。\n"
    "・「やめる」で途中の手続きを中止します。\n"
    "・市の担当者に相談したいときは「職員に相談」を選んでください。",
    "How to use this chat:\n"
    '- Type your question as it is, e.g. "How long does it take from the airport to Kitami?"\n'
    "- Common questions are answered in English; the menu and registration are in Japanese.\n"
    '- "Contact the city" shows how to reach the city\'s relocation desk.',
)
CATEGORY_PROMPT = Text("「{category}」のよくある質問です。知りたいものを選んでください。")
NOTHING_TO_CANCEL = Text("中止する手続きはありません。ほかにご質問があればどうぞ。")
CANCELLED = Text("途中の手続きを中止しました。入力いただいた内容は保存していません。")
TOO_LONG = Text("メッセージが長すぎるため読み取れませんでした。ご質問は短く(500文字以内で)お送りください。")
NON_TEXT = Text("ありがとうございます。文字でご質問いただくとお答えできます。メニューからも選べます。")
GREETING = Text(
    "こんにちは。北見への移住・Uターンについて、気になることを何でもお聞きください。",
    "Hello! This is Kitami City's relocation concierge. Ask me anything about moving to Kitami, "
    "in English or Japanese. (The menu is in Japanese.)",
)
THANKS = Text(
    "どういたしまして。ほかにも気になることがあれば、いつでもどうぞ。",
    "You're welcome. Ask me anything else about Kitami at any time.",
)
SUGGEST = Text(
    "もしかして、次のどれかでしょうか？",
    "Did you mean one of these?",
)
NONE_OF_THESE = Text(
    "どれでもない",
    "None of these",
)
FALLBACK = Text(
    "すみません、そのご質問にはまだお答えできません。\n"
    "メニューから分野を選ぶか、市の担当者への相談をご利用ください。",
    "Sorry, I don't have an answer to that yet. "
    "Choose a topic from the menu, or contact the city's relocation staff.",
)
NOTED = Text(
    "承知しました。ほかに気になることがあれば、いつでもお聞きください。",
    "Understood. If anything else comes to mind, just ask.",
)
ALSO_ASKED = Text(
    "もうひとつのご質問はこちらから:",
    "For your other question:",
)
CAUTION = Text(
    "※古い情報、または市に確認できていない内容を含みます。最新の情報は市の窓口でご確認ください。",
    "Note: this may be outdated or unconfirmed. Please check with the city before relying on it.",
)
# Every source of an answer, compactly; then what the review date means (it is not "confirmed
# with the city": it is the day a person last compared the answer with these sources).
SOURCES = Text(
    "出典:",
    "Sources:",
)
SOURCE_ITEM = Text(
    "・{title}({date})",
    "- {title} ({date})",
)
NO_SOURCE = Text(
    "・なし({reason})",
    "- none: the public material this concierge answers from doesn't cover this topic",
)
SOURCE_LINK = Text(
    "出典{index}: {title}",
    "Source {index}: {title}",
)
REVIEWED = Text(
    "確認日 {reviewed}: この回答を上の出典と照らし合わせた日です(市に確認した日ではありません)。",
    "Checked {reviewed}: the day this answer was last compared with the sources above "
    "(not a confirmation by the city).",
)
SOURCES_OLD = Text(
    "※出典はいちばん新しいものでも{year}年のもので、2年以上前の情報です。今も同じとは限りません。",
    "Note: the newest source is from {year}, over two years ago; things may have changed since.",
)
SOURCES_UNDATED = Text(
    "※出典に日付がなく、いつの情報か分かりません。",
    "Note: the sources carry no date, so we can't tell how current this is.",
)
# The hours staff answer (intents/handoff.py says the same when a handoff opens).
STAFF_HOURS = Text(
    "「職員に相談」から市の担当職員に質問できます(平日の日中に対応します)。",
    'To reach the city, use "Contact the city" (city staff answer on weekdays during the day, in Japanese).',
)
NO_ENGLISH = Text(
    "", "(An English answer is not available yet; here is the Japanese answer.)"
)  # said only where an English answer is missing
ASK_FEEDBACK = Text(
    "この回答は役に立ちましたか？",
    "Was this answer helpful?",
)
FEEDBACK_THANKS = Text(
    "ご回答ありがとうございます。今後の改善に役立てます。",
    "Thank you. Your feedback helps us improve the answers.",
)
FEEDBACK_SORRY = Text(
    "お役に立てず、すみません。内容を見直します。市の担当者にご相談もいただけます。",
    "Sorry it didn't help. We will review this answer. City staff can also help you.",
)
# Button labels (20 characters at most: LINE's limit)
LABEL_MENU = Text(
    "メニュー",
    "Menu",
)
LABEL_CONTACT = Text(
    "職員に相談",
    "Contact the city",
)
LABEL_LEAD = Text(
    "移住の相談・登録",
    "Register",
)
LABEL_REFERRAL = Text(
    "家族に紹介",
    "Share with family",
)
LABEL_HELPFUL = Text(
    "役に立った",
    "Helpful",
)
LABEL_UNHELPFUL = Text(
    "役に立たなかった",
    "Not helpful",
)
LABEL_VIEW_LEAD = Text(
    "登録内容を見る",
    "My registration",
)
LABEL_EDIT_LEAD = Text(
    "登録内容を変更",
    "Change registration",
)
LABEL_DELETE_DATA = Text(
    "データを削除",
    "Delete my data",
)
LABEL_PRIVACY = Text(
    "個人情報の取り扱い",
    "Privacy",
)
LABEL_HELP = Text(
    "使い方",
    "Help",
)
LABEL_CANCEL = Text(
    "やめる",
    "Cancel",
)
CONTACT_UNKNOWN = Text("市の移住相談の窓口は、北見市役所(北見市大通西3丁目1番地1)にお問い合わせください。")
LEAD_OFFER = Text(
    "北見への移住・Uターンをお考えでしたら、登録いただくと市の担当職員から個別にご案内できます。",
    "If you are thinking of moving to Kitami, register and a member of the city's staff will contact "
    "you personally. (The registration form is in Japanese.)",
)
SLOW_DOWN = Text("メッセージが続けて届いています。少し時間をおいてから、もう一度お送りください。")
# A form, when the message is not an answer to its question (bot/forms.py).
FORM_NOT_AN_ANSWER = Text(
    "ご質問にはここではお答えできませんでした。続けて、次の質問にお答えください(やめるときは「やめる」)。"
)
FORM_HESITATION = Text("入力を続けますか？やめるときは「やめる」と送ってください。")

# 家族に紹介 (intents/referral.py).
REFERRAL_INTRO = Text(
    "お子さまなど、北見に戻ることを考えてほしいご家族に、次のメッセージを転送してください。"
)
REFERRAL_FORWARD = Text(
    "北見市の「移住・Uターン案内」です。会社を辞めずにテレワークで北見に戻る方法や、"
    "住まい・仕事・支援制度のことを、スマホで気軽に質問できます。\n"
    "紹介コード: {code}\n{link}"
)
REFERRAL_COUNT = Text("これまでに、この紹介コードで{count}人が登録しました。ありがとうございます。")
REFERRAL_WELCOME_REFERRED = Text(
    "ご家族からのご紹介ですね。ようこそ！北見での暮らしや仕事のこと、気軽にご質問ください。"
)
REFERRAL_WELCOME_SOURCE = Text(
    "ご覧いただきありがとうございます。北見での暮らしや仕事のこと、気軽にご質問ください。"
)
REFERRAL_UNKNOWN_CODE = Text(
    "そのコードは見つかりませんでした。コードをご確認ください。質問はそのままお送りいただけます。"
)
REFERRAL_OPEN_LINE = Text("LINEで開く(コード入力済み)")
REFERRAL_OPEN_WEB = Text("Webチャットで開く")
REFERRAL_RECOMMEND = Text("LINEで友だちに紹介")
REFERRAL_QR = Text("紹介コード {code} のQRコード")

# Said by the channels themselves, outside any intent.
ONE_TO_ONE_ONLY = Text(
    "このアカウントは1対1のトークでご利用ください。友だち追加して、個別にメッセージをお送りください。"
)
WELCOME_BACK = Text("おかえりなさい。また北見のことを気軽にお聞きください。")
TOO_MANY_SESSIONS = Text("ただいま新しい会話を始められません。しばらくしてからもう一度お試しください。")
UNAVAILABLE = Text("一時的に応答できません。しばらくしてからもう一度お試しください。")
NOT_YET_REVIEWED = Text("未確認", "not yet")
