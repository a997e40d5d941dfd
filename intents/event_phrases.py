"""What the concierge says about events: to people who look for them, apply, or are told of a change."""

from __future__ import annotations

from datetime import datetime

from bot.storage.events import japan, when_text, where_text
from bot.storage.models import CityEvent

KIND_LABELS = {
    "seminar": "セミナー",
    "tour": "ツアー",
    "fair": "フェア",
    "internship": "インターンシップ",
    "consultation": "相談会",
}
AUDIENCE_LABELS = {
    "parents": "北見にお住まいの親御さん",
    "natives": "北見出身の方",
    "students": "学生",
    "anyone": "どなたでも",
}

LABEL_EVENTS = "イベント・セミナー"
# Knowledge entries about events the city has held: their answers offer the live list.
EVENT_ENTRIES = frozenset(
    {
        "programs-parents-seminar",
        "programs-student-internship",
        "programs-2016-concierge-tours",
        "programs-2014-winter-tour",
        "telework-workation-hatarabu",
    }
)
LABEL_APPLY = "申し込む"
LABEL_DETAILS = "詳しく"
LABEL_WITHDRAW = "申し込みを取り消す"

FOUND = "これからのイベントです。"
FOUND_FITTING = "ご希望に合いそうなイベントです。"
FOUND_EN = "Upcoming events (the details are in Japanese):"
NONE_AHEAD_EN = (
    "No events are scheduled at the moment. Tap “Get event notices” to hear when one is. For "
    "details, please contact the city's Industrial Promotion Division (0157-25-1210)."
)
NONE_FITTING = "ご希望に合うイベントは今のところ見つかりませんでした。ほかの予定をご案内します。"
NONE_AHEAD = (
    "今のところ、ご案内できるイベントの予定はありません。"
    "「イベントの案内を受け取る」を押すと、予定が決まったときにお知らせします。"
    "くわしくは北見市の工業振興課(0157-25-1210)へどうぞ。"
)
GONE = "このイベントは終了したか、中止になりました。ほかのイベントをご覧ください。"
CLOSED = "このイベントの申し込みは締め切りました。"
ALT_TEXT = "これからのイベント: {titles}"

CONSENT = (
    "お申し込みの前に、個人情報の取り扱いをご確認ください。\n"
    "・目的: イベントの受付と、当日のご案内・変更のご連絡のため\n"
    "・見る人: 北見市の担当職員だけです\n"
    "・保存期間: 最後のご連絡から2年間。その後は削除します\n"
    "・削除: いつでも「データを削除」と送れば削除できます\n"
    "同意いただけますか？"
)
DECLINED = "承知しました。お申し込みはせず、何も保存していません。"
USE_SAVED = "ご登録の内容でお申し込みしますか？\n・お名前: {name}\n・連絡先: {contact}"
NAME = "お名前を教えてください。"
NAME_INVALID = "お名前は50文字以内で入力してください。"
CONTACT = "ご連絡先(メールアドレスか電話番号)を入力してください。"
CONTACT_ON_LINE = "ご連絡先を選ぶか、メールアドレスか電話番号を入力してください。"
CONTACT_INVALID = "メールアドレスか電話番号の形式が正しくないようです。もう一度入力してください。"
PARTY = "参加される人数を教えてください(ご本人を含めて)。"
PARTY_INVALID = "人数は1〜10の数字で入力してください。"
CONFIRM = (
    "この内容で申し込みます。\n"
    "・イベント: {title}\n・日時: {when}\n・お名前: {name}\n・連絡先: {contact}\n・人数: {party}人"
)
APPLIED = "お申し込みを受け付けました。前日にこちらでご案内をお送りします。"
WAITING = "ただいま満席のため、キャンセル待ちで受け付けました。お席が空いたら、ここでお知らせします。"
ALREADY_GONE = "申し込みの途中で、このイベントの受付が終わりました。"
WITHDRAWN = "「{title}」のお申し込みを取り消しました。"
NOTHING_TO_WITHDRAW = "取り消せるお申し込みはありません。"
WHICH_TO_WITHDRAW = "どのイベントのお申し込みを取り消しますか？"
CALENDAR = "カレンダーに登録"
SOURCE = "主催者のページ"


def event_lines(event: CityEvent) -> tuple[str, ...]:
    """The date and the place, as each card shows them."""
    return (f"日時: {when_text(event)}", f"場所: {where_text(event)}")


def details(event: CityEvent) -> str:
    parts = [
        f"「{event.title}」({KIND_LABELS.get(event.kind, event.kind)})",
        *event_lines(event),
        f"対象: {AUDIENCE_LABELS.get(event.audience, event.audience)}",
    ]
    if event.capacity is not None:
        parts.append(f"定員: {event.capacity}人")
    if event.apply_by is not None:
        parts.append(f"申し込み締め切り: {when_day(event.apply_by)}")
    if event.description:
        parts.append(event.description)
    return "\n".join(parts)


def when_day(moment: datetime) -> str:
    local = japan(moment)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def reminder(event: CityEvent) -> str:
    place = f"会場: {event.place}" if event.place else ""
    url = f"参加URL: {event.online_url}" if event.online_url else ""
    lines = [f"明日は「{event.title}」です。", f"日時: {when_text(event)}", place, url]
    lines.append("ご都合が悪くなったときは「申し込みを取り消す」と送ってください。")
    return "\n".join(line for line in lines if line)


def changed(event: CityEvent) -> str:
    return (
        f"お申し込みの「{event.title}」の内容が変わりました。\n"
        + "\n".join(event_lines(event))
        + "\nご都合が悪くなったときは「申し込みを取り消す」と送ってください。"
    )


def cancelled(event: CityEvent) -> str:
    return f"申し訳ありません。お申し込みの「{event.title}」({when_text(event)})は中止になりました。"


def moved_up(event: CityEvent) -> str:
    return (
        f"お席が空きました。キャンセル待ちの「{event.title}」({when_text(event)})のお申し込みが確定しました。"
        "ご都合が悪いときは「申し込みを取り消す」と送ってください。"
    )
