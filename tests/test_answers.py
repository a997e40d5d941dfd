"""What a person sees in an answer: every source with its date, what 確認日 means, a warning when the
sources are old, and a way to reach the city whenever the answer sends them there (issue 16)."""

from __future__ import annotations

from conftest import Talker

from bot.messages import Response
from intents import payloads
from knowledge import KnowledgeBase


def answer(talker: Talker, entry_id: str, *, english: bool = False) -> Response:
    turn = talker.press((payloads.FAQ_EN if english else payloads.FAQ) + entry_id)
    assert turn.entry_id == entry_id
    return turn.response


def link_urls(response: Response) -> list[str]:
    return [link.url for reply in response.replies for link in reply.links]


def test_every_source_is_shown_with_its_date_and_a_link(talker: Talker, kb: KnowledgeBase) -> None:
    entry = kb.get("telework-keep-job")
    assert entry is not None and len(entry.sources) >= 3
    response = answer(talker, entry.id)
    for source in entry.sources:
        assert f"{source.title}({source.date})" in response.text
        assert source.url in link_urls(response)


def test_the_review_date_says_it_was_checked_against_the_sources_not_the_city(talker: Talker) -> None:
    text = answer(talker, "access-rail-sapporo").text
    assert "確認日 " in text and "出典と照らし合わせた日" in text and "市に確認した日ではありません" in text
    assert "内容確認日" not in text
    english = answer(talker, "access-rail-sapporo", english=True).text
    assert "not a confirmation by the city" in english and "出典" not in english


def test_an_answer_whose_sources_are_all_old_says_so(talker: Talker) -> None:
    old = answer(talker, "programs-parents-seminar").text  # sources: the 2021 interview, an undated page
    assert "2021年のもので、2年以上前の情報です" in old
    recent = answer(talker, "living-fees-may-rise").text  # the city's February 2026 policy speech
    assert "2年以上前" not in recent


def test_an_answer_that_sends_you_to_the_city_offers_staff_and_their_hours(talker: Talker) -> None:
    response = answer(talker, "money-kitami-own-support")  # 「北見市役所…にお問い合わせください」
    assert "職員に相談" in [c.label for c in response.choices]
    assert payloads.CONTACT in [c.payload for c in response.choices]
    assert "平日の日中に対応します" in response.text
    assert "https://www.city.kitami.lg.jp/administration/work/detail.php?content=4778" in link_urls(response)


def test_a_plain_answer_has_no_staff_line(talker: Talker) -> None:
    response = answer(talker, "culture-onions")
    assert "職員に相談" not in [c.label for c in response.choices]
    assert "平日の日中" not in response.text


def test_no_answer_tells_the_person_to_ask_the_city_without_a_way_to_get_there(
    talker: Talker, kb: KnowledgeBase
) -> None:
    sent = 0
    for entry in kb.entries:
        to_city = any(place in entry.answer for place in ("市役所", "北見市に", "工業振興課"))
        if not to_city or not any(ask in entry.answer for ask in ("ご確認", "お問い合わせ", "ご相談")):
            continue
        if entry.id.startswith("contacts-"):
            continue  # a desk's own contacts are the way to the city
        sent += 1
        response = answer(talker, entry.id)
        assert payloads.CONTACT in [c.payload for c in response.choices], entry.id
    assert sent >= 19  # the audit counted 19 dead ends


def test_the_corrected_answers_say_what_the_sources_say(talker: Talker) -> None:
    seminar = answer(talker, "programs-parents-seminar").text
    assert "開催していました" in seminar and "今も開いているかは確認できていません" in seminar
    internship = answer(talker, "programs-student-internship").text
    assert "テレワークを体験" in internship and "一般的な就業体験ではありません" in internship
    keep_job = answer(talker, "telework-keep-job").text
    assert "合言葉" not in keep_job and "という題のセミナー" in keep_job and "IT企業の社員" in keep_job
    salmon = answer(talker, "work-salmon-model").text
    assert "同じ会社" in salmon and "北見工業大学と連携" in salmon and "同社の第1号" in salmon
    salmon_en = answer(talker, "work-salmon-model", english=True).text
    assert "its own No. 1 hire" in salmon_en and "By 2021" in salmon_en
    jobs_en = answer(talker, "work-job-market", english=True).text
    assert "Hello Work Kitami" in jobs_en and "check current openings" in jobs_en and "2017" in jobs_en


def test_a_topic_the_material_does_not_cover_is_answered_honestly(talker: Talker) -> None:
    turn = talker.say("北見にいる親の介護が心配です。どこに相談すればいい？")
    assert turn.entry_id == "living-elderly-parents-care"
    assert "情報がありません" in turn.response.text and "北見市役所" in turn.response.text
    assert "出典:\n・なし(" in turn.response.text
    assert payloads.CONTACT in [c.payload for c in turn.response.choices]


def test_the_hokkaido_condition_for_the_grant_is_answered(talker: Talker) -> None:
    turn = talker.say("移住支援金の就業の条件は？")
    assert turn.entry_id == "money-hokkaido-job-condition"
    assert "マッチングサイト" in turn.response.text
