"""What the concierge says, in one voice (polite, short, phone-sized), keyed by language.

Each :class:`Text` holds the Japanese and, where there is one, the English wording; which one a
turn uses is decided once, on the turn's context (``bot.router.Context.language``), from
:func:`language_of`. Texts without English are said in Japanese to everyone (the menu and the
forms are Japanese); where no turn is at hand (a form's questions, a message from staff) the
caller asks for ``JAPANESE``. Functions that put an event's own data into words are in
``intents/event_text.py``; their fixed parts are here.
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
LIKELY_ACTION = Text(
    "もしかして、こちらのお手続きでしょうか？下のボタンからお進みください。",
    "Is this what you would like to do? Please use the button below.",
)
FALLBACK = Text(
    "すみません、そのご質問にはまだお答えできません。\n"
    "メニューから分野を選ぶか、市の担当者への相談をご利用ください。",
    "Sorry, I don't have an answer to that yet. "
    "Choose a topic from the menu, or contact the city's relocation staff.",
)
NOTHING_TO_UNDO = Text(
    "いま入力の途中の手続きはありません。メニューから選ぶか、ご質問をそのまま入力してください。",
    "There is nothing in progress to go back to. Choose from the menu, or just type your question.",
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

# お知らせ (intents/notices.py).
NOTICES_CHOOSE = Text(
    "どのお知らせを受け取りますか？北見市からのお知らせを、このトークにお送りします。",
    "Which notices would you like? The city will send them here (in Japanese).",
)
NOTICES_SUBSCRIBED = Text(
    "{topics}のお知らせをお送りします。止めるときは「配信停止」と送ってください。",
    "You will receive notices about {topics}. Send “unsubscribe” to stop them.",
)
NOTICES_ON_NEXT_VISIT = Text(
    "Webチャットでは、次にこのページを開いたときに表示されます。",
    "In the web chat, they appear the next time you open this page.",
)
NOTICES_STOPPED_ALL = Text(
    "お知らせの配信を止めました。また受け取るときは「お知らせを受け取りたい」と送ってください。",
    "Notices are stopped. Send “I want notices” to receive them again.",
)
NOTICES_STOPPED_ONE = Text(
    "{topics}のお知らせを止めました。",
    "Notices about {topics} are stopped.",
)
NOTICES_NOT_SUBSCRIBED = Text(
    "お知らせの配信は登録されていません。",
    "You are not subscribed to any notices.",
)
# 「もう連絡いらないです、配信停止で」 may mean the city's contact too: a registered person is shown how.
NOTICES_ALSO_DELETE = Text(
    "市の担当者からの連絡も不要でしたら、「データを削除」で登録を削除できます。",
    "If you want no contact from the city at all, “Delete my data” removes your registration.",
)
NOTICES_NOT_ON_SLACK = Text("Slackにはお知らせをお送りできません。LINEかWebチャットでお申し込みください。")
NOTICES_LABEL_ALL = Text("すべて", "All")

# 職員に相談 (intents/handoff.py); the staff's answers in Slack say BOT_BACK, HUMAN_ANSWERING, OVER too.
HANDOFF_OPENED = Text(
    "市の担当職員にお伝えしました。ご相談の内容をこのまま送ってください。職員がここに返信します"
    "(平日の日中に対応します。返信までお時間をいただくことがあります)。\n"
    "職員には、直近の質問(5件まで)とこれから送るメッセージが届きます。登録フォームに入力したお名前や連絡先は"
    "含みません(メールアドレスや電話番号らしい数字は伏せて届きます)。\n終えるときは「やめる」と送ってください。"
)
HANDOFF_ALREADY_OPEN = Text(
    "すでに市の担当職員にお伝えしています。このままメッセージを送ってください。職員がここに返信します。"
)
HANDOFF_BUSY = Text(
    "ただいま職員への相談が混み合っていて、新しいご相談をお受けできません。時間をおいてもう一度お試しいただくか、"
    "下記の窓口へ直接お問い合わせください。"
)
HANDOFF_RELAYED = Text("職員にお伝えしました。")
HANDOFF_BOT_BACK = Text("職員との相談は終了しました。ここからはまた自動でお答えします。")
HANDOFF_HUMAN_ANSWERING = Text("市の担当職員が対応します。このままメッセージをお送りください。")
HANDOFF_OVER = Text("この相談は終了しています(対応完了、または24時間が過ぎました)。")

# 移住の相談・登録, the registration form (intents/lead.py): Japanese, as the form is.
LEAD_PRIVACY_TERMS = Text(
    "・目的: 北見への移住・Uターンのご相談に、北見市の担当職員からご連絡するため\n"
    "・見る人: 北見市の移住相談の担当職員だけです\n"
    "・保存期間: 最後のご連絡から2年間。その後は削除します\n"
    "・削除: いつでも「データを削除」と送れば削除できます"
)
LEAD_CONSENT = Text(
    f"ご登録の前に、個人情報の取り扱いをご確認ください。\n{LEAD_PRIVACY_TERMS.ja}\n同意いただけますか？"
)
LEAD_DECLINED = Text(
    "承知しました。登録はせず、何も保存していません。質問はこれまでどおりご利用いただけます。"
)
LEAD_REGISTERED = Text("ご登録ありがとうございます。北見市の担当職員から、ご希望の方法でご連絡します。")
LEAD_UPDATED = Text("登録内容を更新しました。担当職員にもお知らせしました。")
LEAD_NAME_FAMILY = Text(
    "移住を考えているご家族(お子さまなど)のお名前を教えてください。ニックネームでもかまいません。"
)
LEAD_NAME = Text("お名前を教えてください。ニックネームでもかまいません。")
LEAD_EMAIL = Text("メールアドレスを入力してください。")
LEAD_PHONE = Text("電話番号を入力してください(例: 090-1234-5678)。")
LEAD_SUMMARY_LINE = Text("・{label}: {value}")
LEAD_SUMMARY_NOTICES = Text("・お知らせ: {topics}")
LEAD_NO_NOTICES = Text("受け取らない")
LEAD_AGREE = Text("同意して登録")
LEAD_DECLINE = Text("同意しない")
LEAD_REGISTRANT = Text("どなたとして登録しますか？")
LEAD_NAME_INVALID = Text("お名前は50文字以内で入力してください。")
LEAD_AREA = Text("今お住まいの地域を教えてください(ボタンか、市区町村名などを入力)。")
LEAD_AREA_INVALID = Text("お住まいの地域は50文字以内で入力してください。")
LEAD_RELATION = Text("北見とのご縁を教えてください。")
LEAD_AGE_BAND = Text("年代を教えてください。")
LEAD_TIMING = Text("移住の時期のお考えは？")
LEAD_WORK_PLAN = Text("移住後のお仕事のお考えは？")
LEAD_HOUSEHOLD = Text("世帯の状況は？")
LEAD_INTERESTS = Text(
    "関心のあることを選んでください(いくつでも)。選び終わったら「選び終わった」を押してください。"
)
LEAD_CONTACT_METHOD = Text("ご希望の連絡方法は？")
LEAD_CONTACT_INVALID = Text("メールアドレスか電話番号の形式が正しくないようです。もう一度入力してください。")
LEAD_NOTICES = Text(
    "北見市からのお知らせ(セミナー・イベント、仕事、支援金)を受け取りますか？"
    "(いくつでも。選び終わったら「選び終わった」)"
)
LEAD_CONFIRM = Text("この内容で登録します。\n{summary}")
LEAD_LABEL_CONFIRM = Text("登録する")
LEAD_LABEL_RESTART = Text("最初から")

# The person's data rights (intents/privacy.py).
PRIVACY_NO_LEAD = Text("まだ登録はありません。")
PRIVACY_YOUR_LEAD = Text("ご登録の内容です。\n{summary}")
PRIVACY_CONFIRM_DELETE = Text(
    "ご登録の内容、会話の記録をすべて削除します。元に戻せません。削除してよろしいですか？"
)
PRIVACY_NOTICE = Text(
    "個人情報の取り扱いです。登録いただいた場合:\n"
    f"{LEAD_PRIVACY_TERMS.ja}\n"
    "ご質問の内容は、回答の改善のため一定期間、個人が分からない形で記録します。"
)
PRIVACY_DELETED = Text(
    "削除しました。ご利用ありがとうございました。また質問があれば、いつでも話しかけてください。"
)
PRIVACY_CONFIRM_DELETE_YES = Text("はい、削除する")
PRIVACY_LABEL_EDIT = Text("変更する")

# Events (intents/events.py, intents/event_text.py): Japanese, but for the list's introduction.
# Labels of an event's kind and audience, as people and staff read them.
EVENT_KIND_LABELS = {
    "seminar": "セミナー",
    "tour": "ツアー",
    "fair": "フェア",
    "internship": "インターンシップ",
    "consultation": "相談会",
}
EVENT_AUDIENCE_LABELS = {
    "parents": "北見にお住まいの親御さん",
    "natives": "北見出身の方",
    "students": "学生",
    "anyone": "どなたでも",
}
LABEL_EVENTS = Text("イベント・セミナー", "Events and seminars")
LABEL_EVENT_APPLY = Text("申し込む")
LABEL_EVENT_DETAILS = Text("詳しく")
LABEL_EVENT_CALENDAR = Text("カレンダーに登録")
LABEL_EVENT_SOURCE = Text("主催者のページ")
EVENTS_FOUND = Text(
    "これからのイベントです。",
    "Upcoming events (the details are in Japanese):",
)
EVENTS_FOUND_FITTING = Text("ご希望に合いそうなイベントです。")
EVENTS_NONE_FITTING = Text("ご希望に合うイベントは今のところ見つかりませんでした。ほかの予定をご案内します。")
LABEL_EVENT_NOTICES = Text("イベントの案内を受け取る", "Get event notices")
EVENTS_NONE_AHEAD = Text(
    "今のところ、ご案内できるイベントの予定はありません。"
    "「イベントの案内を受け取る」を押すと、予定が決まったときにお知らせします。"
    "くわしくは北見市の工業振興課(0157-25-1210)へどうぞ。",
    "No events are scheduled at the moment. Tap “Get event notices” to hear when one is. For "
    "details, please contact the city's Industrial Promotion Division (0157-25-1210).",
)
EVENT_GONE = Text("このイベントは終了したか、中止になりました。ほかのイベントをご覧ください。")
EVENT_CLOSED = Text("このイベントの申し込みは締め切りました。")
EVENT_CONSENT = Text(
    "お申し込みの前に、個人情報の取り扱いをご確認ください。\n"
    "・目的: イベントの受付と、当日のご案内・変更のご連絡のため\n"
    "・見る人: 北見市の担当職員だけです\n"
    "・保存期間: 最後のご連絡から2年間。その後は削除します\n"
    "・削除: いつでも「データを削除」と送れば削除できます\n"
    "同意いただけますか？"
)
EVENT_DECLINED = Text("承知しました。お申し込みはせず、何も保存していません。")
EVENT_USE_SAVED = Text("ご登録の内容でお申し込みしますか？\n・お名前: {name}\n・連絡先: {contact}")
EVENT_NAME = Text("お名前を教えてください。")
EVENT_NAME_INVALID = Text("お名前は50文字以内で入力してください。")
EVENT_CONTACT = Text("ご連絡先(メールアドレスか電話番号)を入力してください。")
EVENT_CONTACT_ON_LINE = Text("ご連絡先を選ぶか、メールアドレスか電話番号を入力してください。")
EVENT_CONTACT_INVALID = Text("メールアドレスか電話番号の形式が正しくないようです。もう一度入力してください。")
EVENT_PARTY = Text("参加される人数を教えてください(ご本人を含めて)。")
EVENT_PARTY_INVALID = Text("人数は1〜10の数字で入力してください。")
EVENT_CONFIRM = Text(
    "この内容で申し込みます。\n"
    "・イベント: {title}\n・日時: {when}\n・お名前: {name}\n・連絡先: {contact}\n・人数: {party}人"
)
EVENT_APPLIED = Text("お申し込みを受け付けました。前日にこちらでご案内をお送りします。")
EVENT_WAITING = Text(
    "ただいま満席のため、キャンセル待ちで受け付けました。お席が空いたら、ここでお知らせします。"
)
EVENT_ALREADY_GONE = Text("申し込みの途中で、このイベントの受付が終わりました。")
EVENT_WITHDRAWN = Text(
    "「{title}」のお申し込みを取り消しました。", "Your application for “{title}” has been withdrawn."
)
EVENT_NOTHING_TO_WITHDRAW = Text(
    "取り消せるお申し込みはありません。", "You have no event application to withdraw."
)
EVENT_CONFIRM_WITHDRAW = Text(
    "「{title}」のお申し込みを取り消しますか？", "Withdraw your application for “{title}”?"
)
LABEL_WITHDRAW = Text("取り消す", "Withdraw")
LABEL_KEEP_APPLICATION = Text("取り消さない", "Keep it")
EVENT_WHICH_TO_WITHDRAW = Text(
    "どのイベントのお申し込みを取り消しますか？", "Which event's application would you like to withdraw?"
)
# What an event's data is put into (intents/event_text.py).
EVENT_WHEN = Text("日時: {when}")
EVENT_WHERE = Text("場所: {where}")
EVENT_TITLE_KIND = Text("「{title}」({kind})")
EVENT_AUDIENCE = Text("対象: {audience}")
EVENT_CAPACITY = Text("定員: {capacity}人")
EVENT_APPLY_BY = Text("申し込み締め切り: {apply_by}")
EVENT_DAY = Text("{month}月{day}日 {time}")
EVENT_PLACE = Text("会場: {place}")
EVENT_ONLINE_URL = Text("参加URL: {url}")
EVENT_TOMORROW = Text("明日は「{title}」です。")
EVENT_IF_UNABLE = Text("ご都合が悪くなったときは「申し込みを取り消す」と送ってください。")
EVENT_CHANGED = Text("お申し込みの「{title}」の内容が変わりました。")
EVENT_CANCELLED = Text("申し訳ありません。お申し込みの「{title}」({when})は中止になりました。")
EVENT_MOVED_UP = Text(
    "お席が空きました。キャンセル待ちの「{title}」({when})のお申し込みが確定しました。"
    "ご都合が悪いときは「申し込みを取り消す」と送ってください。"
)
