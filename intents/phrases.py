"""The concierge's fixed wording in one place, so it reads as one voice (polite, short, phone-sized)."""

WELCOME = (
    "北見市 移住・Uターン案内(コンシェルジュ)です。\n"
    "北見での暮らし・仕事・住まい・支援制度などの質問に、市の公開情報をもとにお答えします。"
)
PRIVACY_NOTE = (
    "※ご質問の内容は回答の改善のため一定期間記録します。お名前などの個人情報は入力しないでください。"
)
MENU_PROMPT = "知りたいことを選ぶか、ご質問をそのまま入力してください。"
HELP = (
    "使い方:\n"
    "・「空港から市内まで何分？」のように、質問をそのまま送ってください。\n"
    "・「メニュー」で分野から選べます。\n"
    "・「やめる」で途中の手続きを中止します。\n"
    "・市の担当者に相談したいときは「職員に相談」を選んでください。"
)
HELP_EN = (
    "How to use this chat:\n"
    '- Type your question as it is, e.g. "How long does it take from the airport to Kitami?"\n'
    "- Common questions are answered in English; the menu and registration are in Japanese.\n"
    '- "Contact the city" shows how to reach the city\'s relocation desk.'
)
CATEGORY_PROMPT = "「{category}」のよくある質問です。知りたいものを選んでください。"
NOTHING_TO_CANCEL = "中止する手続きはありません。ほかにご質問があればどうぞ。"
CANCELLED = "途中の手続きを中止しました。入力いただいた内容は保存していません。"
TOO_LONG = "メッセージが長すぎるため読み取れませんでした。ご質問は短く(500文字以内で)お送りください。"
NON_TEXT = "ありがとうございます。文字でご質問いただくとお答えできます。メニューからも選べます。"
GREETING = "こんにちは。北見への移住・Uターンについて、気になることを何でもお聞きください。"
GREETING_EN = (
    "Hello! This is Kitami City's relocation concierge. Ask me anything about moving to Kitami, "
    "in English or Japanese. (The menu is in Japanese.)"
)
THANKS = "どういたしまして。ほかにも気になることがあれば、いつでもどうぞ。"
THANKS_EN = "You're welcome. Ask me anything else about Kitami at any time."
SUGGEST = "もしかして、次のどれかでしょうか？"
SUGGEST_EN = "Did you mean one of these?"
NONE_OF_THESE = "どれでもない"
NONE_OF_THESE_EN = "None of these"
FALLBACK = (
    "すみません、そのご質問にはまだお答えできません。\n"
    "メニューから分野を選ぶか、市の担当者への相談をご利用ください。"
)
FALLBACK_EN = (
    "Sorry, I don't have an answer to that yet. "
    "Choose a topic from the menu, or contact the city's relocation staff."
)
NOTED = "承知しました。ほかに気になることがあれば、いつでもお聞きください。"
NOTED_EN = "Understood. If anything else comes to mind, just ask."
ALSO_ASKED = "もうひとつのご質問はこちらから:"
ALSO_ASKED_EN = "For your other question:"
CAUTION = "※古い情報、または市に確認できていない内容を含みます。最新の情報は市の窓口でご確認ください。"
CAUTION_EN = "Note: this may be outdated or unconfirmed. Please check with the city before relying on it."
# Every source of an answer, compactly; then what the review date means (it is not "confirmed
# with the city": it is the day a person last compared the answer with these sources).
SOURCES = "出典:"
SOURCES_EN = "Sources:"
SOURCE_ITEM = "・{title}({date})"
SOURCE_ITEM_EN = "- {title} ({date})"
NO_SOURCE = "・なし({reason})"
NO_SOURCE_EN = "- none: the public material this concierge answers from doesn't cover this topic"
SOURCE_LINK = "出典{index}: {title}"
SOURCE_LINK_EN = "Source {index}: {title}"
REVIEWED = "確認日 {reviewed}: この回答を上の出典と照らし合わせた日です(市に確認した日ではありません)。"
REVIEWED_EN = (
    "Checked {reviewed}: the day this answer was last compared with the sources above "
    "(not a confirmation by the city)."
)
SOURCES_OLD = "※出典はいちばん新しいものでも{year}年のもので、2年以上前の情報です。今も同じとは限りません。"
SOURCES_OLD_EN = "Note: the newest source is from {year}, over two years ago; things may have changed since."
SOURCES_UNDATED = "※出典に日付がなく、いつの情報か分かりません。"
SOURCES_UNDATED_EN = "Note: the sources carry no date, so we can't tell how current this is."
# The hours staff answer (intents/handoff.py says the same when a handoff opens).
STAFF_HOURS = "「職員に相談」から市の担当職員に質問できます(平日の日中に対応します)。"
STAFF_HOURS_EN = (
    'To reach the city, use "Contact the city" (city staff answer on weekdays during the day, in Japanese).'
)
NO_ENGLISH = "(An English answer is not available yet; here is the Japanese answer.)"
ASK_FEEDBACK = "この回答は役に立ちましたか？"
ASK_FEEDBACK_EN = "Was this answer helpful?"
FEEDBACK_THANKS = "ご回答ありがとうございます。今後の改善に役立てます。"
FEEDBACK_THANKS_EN = "Thank you. Your feedback helps us improve the answers."
FEEDBACK_SORRY = "お役に立てず、すみません。内容を見直します。市の担当者にご相談もいただけます。"
FEEDBACK_SORRY_EN = "Sorry it didn't help. We will review this answer. City staff can also help you."

# Button labels (20 characters at most: LINE's limit)
LABEL_MENU = "メニュー"
LABEL_CONTACT = "職員に相談"
LABEL_LEAD = "移住の相談・登録"
LABEL_REFERRAL = "家族に紹介"
LABEL_HELPFUL = "役に立った"
LABEL_UNHELPFUL = "役に立たなかった"
LABEL_MENU_EN = "Menu"
LABEL_HELPFUL_EN = "Helpful"
LABEL_UNHELPFUL_EN = "Not helpful"
LABEL_LEAD_EN = "Register"
LABEL_CONTACT_EN = "Contact the city"
LABEL_REFERRAL_EN = "Share with family"
LABEL_VIEW_LEAD = "登録内容を見る"
LABEL_VIEW_LEAD_EN = "My registration"
LABEL_EDIT_LEAD = "登録内容を変更"
LABEL_EDIT_LEAD_EN = "Change registration"
LABEL_DELETE_DATA = "データを削除"
LABEL_DELETE_DATA_EN = "Delete my data"
LABEL_PRIVACY = "個人情報の取り扱い"
LABEL_PRIVACY_EN = "Privacy"
LABEL_HELP = "使い方"
LABEL_HELP_EN = "Help"
LABEL_CANCEL = "やめる"
LABEL_CANCEL_EN = "Cancel"
CONTACT_UNKNOWN = "市の移住相談の窓口は、北見市役所(北見市大通西3丁目1番地1)にお問い合わせください。"
LEAD_OFFER = "北見への移住・Uターンをお考えでしたら、登録いただくと市の担当職員から個別にご案内できます。"
LEAD_OFFER_EN = (
    "If you are thinking of moving to Kitami, register and a member of the city's staff will contact "
    "you personally. (The registration form is in Japanese.)"
)
SLOW_DOWN = "メッセージが続けて届いています。少し時間をおいてから、もう一度お送りください。"
