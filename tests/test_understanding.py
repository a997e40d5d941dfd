"""Understanding people as they write: requests in their own words, inside forms, in long messages,
refusals that must not trigger anything, and the floors measured on the blind dev split."""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from bot.evaluation import classify_turn, evaluate_messages, read_labelled_messages
from bot.services import Concierge
from bot.storage.models import Conversation, Lead
from bot.understanding import NOT_ACTIONS, QUESTION, Sentence, Understanding
from intents.recognizer import clauses, read_examples, recognizer_for, split_sentences
from knowledge import KnowledgeBase
from knowledge.details import detail_not_given
from knowledge.hanzi import japanese_forms
from knowledge.loading import load_entries, load_synonyms
from knowledge.normalize import normalize
from knowledge.old_kanji import modern_forms
from knowledge.romaji import as_kana, is_romaji
from knowledge.semantic import QUERY, Embedder, Vectors, default_embedder
from knowledge.spelling import Spellings
from knowledge.synonyms import Synonyms
from knowledge.tokenize import english_terms, morphemes, prohibited
from tests.conftest import Talker

BLIND_DEV = Path(__file__).parent / "data" / "blind" / "dev.yaml"


def _leads(concierge: Concierge) -> list[Lead]:
    with concierge.db.transaction() as session:
        return list(session.scalars(select(Lead)))


def _form_of(concierge: Concierge) -> str | None:
    with concierge.db.transaction() as session:
        return session.scalar(select(Conversation.form))


def _at_name_step(talker: Talker) -> None:
    talker.say("移住の相談をしたいので登録をお願いできますか")
    talker.press("form:agree")
    asked = talker.press("form:本人として")
    assert "お名前" in asked.response.text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("登録したいです", "lead_start"),
        ("データを削除したい", "privacy"),
        ("I signed up by mistake, can you remove my details?", "privacy"),
        ("息子にもこれ紹介したい", "referral"),
        ("担当の方と直接お話しできますか", "contact"),
        ("使い方がよくわからないです", "help"),
    ],
)
def test_requests_in_everyday_words_are_recognized(talker: Talker, text: str, intent: str) -> None:
    assert talker.say(text).intent == intent


def test_a_parents_long_message_reaches_the_referral(talker: Talker) -> None:
    turn = talker.say(
        "いつもお世話になっております。北見在住の佐藤と申します。娘が東京の会社で働いておりまして、"
        "そろそろこちらに戻ってきてほしいと思っております。このサービスを娘にも教えてあげたいのですが、"
        "どのように伝えればよろしいでしょうか。"
    )
    assert turn.intent == "referral"
    assert "紹介コード" in turn.response.text


def test_a_greeting_before_a_question_the_recognizer_cannot_place_is_not_the_message(talker: Talker) -> None:
    turn = talker.say(
        "こんばんは。古くなった実家をリフォームしようかと息子と話しておりまして、"
        "市から補助金のようなものは出ておりますでしょうか"
    )
    assert turn.intent == "faq" and turn.entry_id == "housing-renovation-grant"


@pytest.mark.parametrize(
    ("message", "entry_id"),
    [
        (
            "こんにちは。娘の話の前に、実は同居の義母が腰を悪くしまして、介護のことはどこに相談すればいいのでしょうか。",
            "living-elderly-parents-care",
        ),
        # The last clause is answered only with the sentence vector's help (ZoomとかLINE通話).
        (
            "子どもが小さくて北見まで下見に行けないので、ZoomとかLINE通話で相談できたりしますか",
            "contacts-online-consultation",
        ),
    ],
)
def test_what_a_parent_explains_first_does_not_hide_what_is_asked(
    talker: Talker, message: str, entry_id: str
) -> None:
    """The clauses in front lower the share of words the entry covers; the question's last clause,
    answered by the same entry on its own, gets it answered instead of offered."""
    turn = talker.say(message)
    assert turn.intent == "faq" and turn.entry_id == entry_id


def test_a_greeting_with_news_and_no_question_is_still_a_greeting(talker: Talker) -> None:
    turn = talker.say("こんばんは。娘から教えてもらってこちらを使ってみることにしました")
    assert turn.intent == talker.say("こんばんは").intent != "faq"
    assert not turn.response.text.startswith("もしかして")


@pytest.mark.parametrize(
    "text",
    ["こんにちは。北見の母です", "ちわ〜", "こんにちは 端野の佐藤です 息子に言われて初めて使ってみたんだわ"],
)
def test_a_greeting_with_who_is_writing_is_greeted(talker: Talker, text: str) -> None:
    """Not 「もしかして」 with pages about births for 「北見の母です」."""
    assert talker.say(text).action == "greeting"


def test_a_greeting_before_a_question_is_not_greeted_alone(talker: Talker) -> None:
    turn = talker.say("こんにちは。北見の冬ってどんな感じ")
    assert turn.action != "greeting" and "climate-winter-cold" in classify_turn(turn)[2]


def test_how_many_hours_in_kana_after_a_greeting_is_a_question(talker: Talker) -> None:
    """なんじかん is 何時間: the message asks how long the train takes, it is not a greeting."""
    turn = talker.say(
        "こんにちは　むすめが　さっぽろに　すんでます　"
        "きたみから　さっぽろまで　じぇいあーるで　なんじかんくらい　かかるかい"
    )
    assert turn.action != "greeting" and "access-rail-sapporo" in classify_turn(turn)[2]


def test_a_short_question_after_a_statement_asks_about_it_not_how_to_use_the_chat(talker: Talker) -> None:
    turn = talker.say("こんばんは。北見で親向けのセミナーがあるって聞きました。どんなことするんでしょうか")
    assert turn.intent == "faq" and turn.entry_id == "programs-parents-seminar"


@pytest.mark.parametrize(
    "text",
    [
        "登録はまだいいです",
        "削除はしないでください",
        "人と話すのはちょっと苦手なので、このままで大丈夫です",
        "セミナーはキャンセルしません、やっぱり行きます",
        "通知を止めようかと思ったけど、やめないでおきます",
        # The prohibitive な, blunt: the verb names the request and forbids it.
        "データは絶対に消すな",
        "息子にこれ送るなよ",
        "まだ登録すんな。考え中だ",
        # 〜ないで: asked not to, politely or not.
        "削除しないでください。間違えて押しちゃいました",
        "まだ消さないでほしいです",
        "息子には紹介しないでおいてください",
        # No intention to, however formally.
        "セミナーの申込を取り消すつもりはありません",
        "データを削除するつもりはございません",
        # A short refusal after the request takes it back.
        "担当の人と話したいかも。でも今日はいいです",
        "I might register later... not now",
    ],
)
def test_refusals_trigger_nothing(talker: Talker, concierge: Concierge, text: str) -> None:
    turn = talker.say(text)
    assert turn.intent not in ("lead_start", "privacy", "contact", "referral"), turn.response.text
    assert turn.entry_id is None  # and no unrelated answer either
    assert _form_of(concierge) is None


@pytest.mark.parametrize(
    ("refusal", "asked", "action"),
    [
        ("Notifications are fine, don't turn them off", "please turn off the notifications", "notices_off"),
        ("do not delete my data, I was only looking", "please delete my data", "delete_data"),
        # A phone types a curly apostrophe.
        ("don’t delete my data, I was only looking", "delete my data please", "delete_data"),
    ],
)
def test_an_english_dont_refuses_the_stop_it_names(
    talker: Talker, refusal: str, asked: str, action: str
) -> None:
    """Refused in English ("don't turn them off"), the notices are kept; asked, they stop."""
    assert talker.say(refusal).action in (None, "no_action")
    assert talker.say(asked).action == action


def test_a_short_acceptance_after_a_request_keeps_it(talker: Talker) -> None:
    """「電話でもええです」 says how the person may be reached; it takes nothing back."""
    assert talker.say("担当の方と直接お話しできますか。電話でもええです").intent == "contact"


def test_delete_typed_mid_form_reaches_the_deletion_confirmation(talker: Talker) -> None:
    _at_name_step(talker)
    turn = talker.say("やっぱりデータを削除したい")
    assert "削除してよろしいですか" in turn.response.text
    assert "はい、削除する" in [c.label for c in turn.response.choices]


def test_wanting_to_stop_mid_form_cancels_and_stores_nothing(talker: Talker, concierge: Concierge) -> None:
    _at_name_step(talker)
    turn = talker.say("もうやめたい")
    assert turn.intent == "cancel" and "中止しました" in turn.response.text
    assert _leads(concierge) == [] and _form_of(concierge) is None


def test_romaji_mid_form_is_a_command_or_a_name_as_typed(talker: Talker, concierge: Concierge) -> None:
    """「hitotsu modotte」 goes back and 「yappa yameru」 cancels, as their kana would; a name typed in
    Latin letters is stored as typed."""
    _at_name_step(talker)
    assert "どなたとして登録しますか" in talker.say("hitotsu modotte").response.text
    talker.press("form:本人として")
    assert "お住まいの地域" in talker.say("Taro Kitami").response.text
    with concierge.db.transaction() as session:
        assert session.scalar(select(Conversation.slots))["name"] == "Taro Kitami"
    assert talker.say("yappa yameru").intent == "cancel"
    assert _leads(concierge) == [] and _form_of(concierge) is None


def _containers_holding(fragment: str) -> list[object]:
    gc.collect()
    found: list[object] = []
    for held in gc.get_objects():
        if isinstance(held, dict):
            parts: Iterable[object] = itertools.chain(held.keys(), held.values())
        elif isinstance(held, (tuple, list)):
            parts = held
        else:
            continue
        if any(isinstance(part, str) and fragment in part for part in parts):
            found.append(held)
    return found


def test_a_name_typed_into_the_form_is_not_kept_in_memory_after_its_turn(talker: Talker) -> None:
    """Every message is read (a command? a question?), a name too; nothing read from it outlives
    the turn, so deleting the person's data leaves no copy in the process either."""
    _at_name_step(talker)
    talker.say("常呂 帆立之介")
    asked = talker.say("データを削除したい")
    yes = next(c.payload for c in asked.response.choices if c.label == "はい、削除する")
    del asked
    assert "削除しました" in talker.press(yes).response.text
    assert _containers_holding("帆立之介") == []


def test_a_name_beside_a_question_is_not_kept_in_memory(talker: Talker) -> None:
    """The question is answered (and its match remembered for the next person who asks it), but
    not the text it was asked in."""
    assert talker.say("帆立之介ですが雪かきは大変ですか").intent == "faq"
    assert _containers_holding("帆立之介") == []


def test_back_with_an_exclamation_goes_back_instead_of_becoming_a_name(talker: Talker) -> None:
    _at_name_step(talker)
    turn = talker.say("戻る！")
    assert "どなたとして登録しますか" in turn.response.text


def test_a_question_at_the_name_step_is_answered_not_stored(talker: Talker, concierge: Concierge) -> None:
    _at_name_step(talker)
    turn = talker.say("ところで北見の冬ってどれくらい寒いの")
    assert turn.intent == "lead" and "お名前" in turn.response.text
    assert "℃" in turn.response.text  # the answer came first
    named = talker.say("北見 太郎")
    assert "お住まいの地域" in named.response.text  # the name was the first thing stored


def test_two_questions_in_one_message_answer_one_and_offer_the_other(talker: Talker) -> None:
    turn = talker.say(
        "娘が妊娠中で、北見で出産するか迷っています。出産できる病院はありますか？"
        "それと、北見は冬の雪かきが大変ですか？"
    )
    assert turn.intent == "faq" and turn.entry_id in ("health-giving-birth", "climate-snow")
    offered = [c.payload for c in turn.response.choices if c.payload.startswith("faq:")]
    other = "climate-snow" if turn.entry_id == "health-giving-birth" else "health-giving-birth"
    assert f"faq:{other}" in offered


@pytest.mark.parametrize(
    ("message", "topics"),
    [
        ("地震とか台風の被害って北見は少ない方？", {"safety-earthquake", "safety-typhoon"}),
        (
            "家賃の相場と、あと車が必要かどうかも教えてほしいです",
            {"housing-rent", "access-car-and-local-bus"},
        ),
    ],
)
def test_one_sentence_naming_two_topics_answers_one_and_offers_the_other(
    talker: Talker, message: str, topics: set[str]
) -> None:
    """Two topics joined by と, とか or や in one question: an answer, not 「もしかして」."""
    turn = talker.say(message)
    assert turn.intent == "faq" and turn.entry_id in topics
    offered = [c.payload for c in turn.response.choices if c.payload.startswith("faq:")]
    assert f"faq:{(topics - {turn.entry_id}).pop()}" in offered


def test_a_vague_toka_names_one_topic_not_two(talker: Talker) -> None:
    """「助成とか何か」 is one thing said vaguely: the birth hospital is not answered for it as the
    "first of two topics"."""
    from knowledge.tokenize import coordinated_halves

    assert coordinated_halves("出産のときの助成とか何かもらえる？") == ()
    turn = talker.say("里帰りじゃなくて本当に帰るなら、出産のときの助成とか何かもらえ")
    assert turn.entry_id != "health-giving-birth"
    offered = [c.payload for c in turn.response.choices if c.payload.startswith("faq:")]
    assert turn.entry_id == "childcare-birth-support" or "faq:childcare-birth-support" in offered


def test_a_conditional_to_does_not_split_a_question() -> None:
    """「頼むと」 is a condition, not two topics: nothing is cut there."""
    from knowledge.tokenize import coordinated_halves

    assert coordinated_halves("引っ越し業者に頼むと東京から北見までいくら？") == ()
    assert coordinated_halves("地震とか台風の被害は？") == (("地震とか", "台風の被害は？"),)


@pytest.mark.parametrize(
    ("sentences", "searched"),
    [
        # An aside beside a surer question is not searched on its own.
        (
            [
                ("Is office rent in Kitami really cheaper than Tokyo?", QUESTION, 0.87),
                ("asking for my startup", QUESTION, 0.14),
            ],
            ("Is office rent in Kitami really cheaper than Tokyo?",),
        ),
        # A statement read as a doubtful question still gives the short question after it its topic.
        (
            [
                ("古い実家をリフォームして住もうかと思ってます。", QUESTION, 0.2),
                ("補助金とかありますか？", QUESTION, 0.9),
            ],
            ("古い実家をリフォームして住もうかと思ってます。補助金とかありますか？",),
        ),
        # A request too unsure to act on is searched as a question, and its aside is not.
        (
            [
                ("Can I do the relocation consultation over video call?", "register", 0.34),
                ("Flying back just for that is a lot", QUESTION, 0.22),
            ],
            ("Can I do the relocation consultation over video call?",),
        ),
    ],
)
def test_what_is_searched_is_the_question_not_an_aside(
    sentences: list[tuple[str, str, float]], searched: tuple[str, ...]
) -> None:
    """Which sentences of a message the knowledge base is asked (the recognizer's reading given)."""
    read = tuple(Sentence(*sentence) for sentence in sentences)
    assert Understanding(QUESTION, max(s.confidence for s in read), read).questions == searched


def test_saying_where_you_live_does_not_count_against_the_answer(kb: KnowledgeBase) -> None:
    lives_in_tokyo = kb.match("東京から北見に戻ったら、家賃ってどのくらい？")
    assert lives_in_tokyo.outcome == "answer" and lives_in_tokyo.hits[0].entry.id == "housing-rent"
    about_sapporo = kb.match("札幌の家賃ってどのくらい？")
    assert about_sapporo.outcome != "answer"


@pytest.mark.parametrize(
    "said",
    [
        "東京の娘が、北見の冬はどのくらい寒いのか気にしております",
        "息子が東京でSEをしていて、会社を辞めずに北見で働けるものか知りたいです",
        "東京だと保育園に入れなかったんですが、北見は待機児童いますか？",
        "東京と北見を行き来する二拠点生活に支援はありますか",
        "生活費って東京とどれくらい違うの？",
        "オフィスの賃料、東京比でどのくらい？",
        "東京との往復の飛行機代に補助はありますか",
    ],
)
def test_where_the_family_lives_or_works_is_not_what_is_asked(kb: KnowledgeBase, said: str) -> None:
    signals, _ids = kb.signals(said)
    assert signals is not None and not signals["elsewhere"]


@pytest.mark.parametrize(
    "said",
    [
        "旭川の保育園の空き状況ってわかりますか",
        "札幌の家賃ってどのくらい？",
        "札幌の子育て支援ってどんなのある？",
    ],
)
def test_a_question_about_another_place_is_never_answered_with_kitamis_entry(
    kb: KnowledgeBase, said: str
) -> None:
    """At most offered: the entry is about Kitami, the question about somewhere else."""
    assert kb.match(said).outcome != "answer"


def test_a_hiragana_word_the_dictionary_takes_for_a_place_is_no_place(kb: KnowledgeBase) -> None:
    """おおい (many) is also 大井 to the dictionary; 旭川 written in kanji is still another place."""
    signals, _ids = kb.signals("きたみは じしん おおいのかい、むすこに きかれたもんで")
    assert signals is not None and not signals["elsewhere"]


def test_the_city_one_would_have_to_go_to_is_not_what_is_asked(kb: KnowledgeBase) -> None:
    """「…北見でできるのかい　それとも札幌まで出ねばならんのか」 asks about Kitami."""
    questions = (
        "北見で心臓の手術できるのかい、それとも札幌まで出ねばならんのか",
        "札幌まで通わないとだめ？",
        "北見の家賃相場は、札幌や帯広と比べてどうでしょうか",  # two places compared with Kitami
    )
    for question in questions:
        signals, _ids = kb.signals(question)
        assert signals is not None and not signals["elsewhere"], question


def test_kitami_itself_is_never_another_place(kb: KnowledgeBase) -> None:
    """An answer need not write 北見 or 常呂 to be about them."""
    for question in ("北見の冬ってしばれる？", "常呂でホタテはとれるの？"):
        signals, _ids = kb.signals(question)
        assert signals is not None and not signals["elsewhere"], question
    signals, _ids = kb.signals("旭川の家賃相場ってわかる？")
    assert signals is not None and signals["elsewhere"]


@pytest.mark.parametrize(
    ("said", "entry"),
    [
        ("冬の灯油代っていくらかかりますか。娘に話してやりたくて", "living-heating-oil"),
        (
            "北見の保育料はいくらくらいですか。息子に話してやりたいので、わかれば二人目のことも教えてください",
            "childcare-daycare-fees",
        ),
        (
            "冬の灯油代はどれくらいですか。娘に伝えてやりたいので、灯油の値段もわかれば教えてください",
            "living-heating-oil",
        ),
    ],
)
def test_a_reason_for_asking_is_not_a_request_to_refer(talker: Talker, said: str, entry: str) -> None:
    """「息子に教えてやりたくて」 beside a question is why the parent asks: the question is answered
    (where the reason reads like a referral request, that is a button beside the answer)."""
    turn = talker.say(said)
    assert turn.intent == "faq" and turn.entry_id == entry
    assert "出典" in turn.response.text
    if "ので、" in said:  # the reason reads as a referral request: it is offered as a button
        assert "referral" in [c.payload for c in turn.response.choices]


def test_a_pamphlet_to_send_on_is_the_pamphlet_not_the_referral(talker: Talker) -> None:
    """A parent who wants the pamphlet mailed for her son asks for the pamphlet; sending on the
    concierge itself stays a button beside the answer."""
    turn = talker.say("ひっこしのパンフレット、むすこに送りたいから家に郵送してもらえるかい")
    assert turn.intent == "faq" and turn.entry_id == "programs-pamphlets"
    assert "referral" in [c.payload for c in turn.response.choices]


@pytest.mark.parametrize(
    ("said", "entry"),
    [
        ("移住のパンフレット、娘に送ってやりたいんですけどどこでもらえますか", "programs-pamphlets"),
        ("北見工大ってどんなとこ？情報系あるの？", "education-kitami-it"),
    ],
)
def test_a_thing_sent_to_a_child_or_information_studied_is_a_question(
    talker: Talker, said: str, entry: str
) -> None:
    """Sending a pamphlet to one's son is no request to pass this chat on, and 情報系 (computing) is
    no question about personal data: the question is answered."""
    turn = talker.say(said)
    assert turn.intent == "faq" and turn.entry_id == entry


def test_of_two_questions_answered_the_first_written_leads(talker: Talker) -> None:
    turn = talker.say("保育料って月いくらくらいですか？それと待機児童ってまだいますか")
    assert turn.entry_id == "childcare-daycare-fees"
    assert "faq:childcare-waiting-list" in [c.payload for c in turn.response.choices]


def test_an_english_question_the_words_cannot_place_is_read_for_its_meaning(talker: Talker) -> None:
    """ "How cold…in winter" shares its words with indoor play in winter: the words alone don't
    decide it."""
    turn = talker.say("How cold does it actually get in Kitami in winter?")
    assert turn.entry_id == "climate-winter-cold"


def test_clauses_that_set_the_scene_before_a_question_leave_a_question(kb: KnowledgeBase) -> None:
    """The end of a Japanese sentence says what it is: after 「…弱ってきまして、」 comes the question."""
    understood = recognizer_for(kb)(
        "娘のことより先に、実は同居している父が最近足腰弱ってきまして、介護のことはどこに相談すればいいのかしら。"
    )
    assert [s.label for s in understood.sentences] == [QUESTION]


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        (
            "孫が生まれたばかりでして。こっちに戻ってきたら子どもの病院代って市で助けてもらえるのかね？",
            "childcare-child-medical",
        ),
        ("むすめがかえってきたら おやのかいごのことは相談できるとこあるかい", "living-elderly-parents-care"),
    ],
)
def test_a_condition_in_front_of_a_question_doesnt_keep_it_from_an_answer(
    talker: Talker, text: str, entry: str
) -> None:
    """「…戻ってきたら」 sets the scene: what is asked comes after it, and is answered."""
    assert talker.say(text).entry_id == entry


def test_a_condition_in_front_of_a_vague_question_leaves_its_entry_offered_first(talker: Talker) -> None:
    """「出産まわりの支援」 says less than 出産の支援金: since the twentieth round's decision, the
    birth support is offered first rather than answered (docs/understanding.md)."""
    turn = talker.say("北見に引っ越したら出産まわりの支援って何かありますか")
    assert turn.entry_id in (None, "childcare-birth-support")
    assert classify_turn(turn)[2][0] == "childcare-birth-support"


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("しゅっさんのときに もらえる おかねって あるのかい", "childcare-birth-support"),
        (
            "ひとりぐらしで ゆきかきが たいへんで。じょせつを てつだって もらえる せいどは ありますか",
            "living-snow-help-elderly",
        ),
        ("まごが うまれるんだけど きたみで おさんの できる びょういんは どこかね", "health-giving-birth"),
    ],
)
def test_a_question_typed_all_in_hiragana_is_answered(talker: Talker, text: str, entry: str) -> None:
    """A grandparent types kanji words by their sound, with spaces between words."""
    assert talker.say(text).entry_id == entry


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # Typed without 。: a space after a sentence-final particle ends a sentence.
        (
            "市役所の移住の窓口ってどこにあるのさ 何時まであいてるかい 土曜日はやってないんだべか",
            ["市役所の移住の窓口ってどこにあるのさ", "何時まであいてるかい 土曜日はやってないんだべか"],
        ),
        # An emoji after the particle ends it too.
        (
            "北見の冬ってマイナス何度まで下がるんだっけ🥶 東京の冬に慣れちゃったからもう無理かもしれん",
            ["北見の冬ってマイナス何度まで下がるんだっけ🥶", "東京の冬に慣れちゃったからもう無理かもしれん"],
        ),
        # A pause after a case particle or a filler, and a word typed alone, end nothing.
        ("うちの娘がさ 東京で働いてるんだけど、北見にIT企業ってあるのかい", None),
        ("あのね 聞きたいことがあるんだけど、北見の冬ってどれくらい寒いの", None),
        ("さとう です ふゆの とうゆ だい ひとつき なんぼ かかるもんですか", None),
        # A short remark after a question is a sentence of its own; a fragment (日曜とか) is not.
        (
            "北見の灯油代って月いくらくらいかかるのかい 東京の人にはわからんべさ",
            ["北見の灯油代って月いくらくらいかかるのかい", "東京の人にはわからんべさ"],
        ),
        ("夜中に子どもが熱出したら どこに行けばいいの 日曜とか", None),
        # A short rest that asks stays with what it follows.
        ("としよりふたりだと ゆきかきがたいへんなんだわ てつだってもらえるかい", None),
        ("Is it cold there in winter and how much is heating oil", None),
    ],
)
def test_a_sentence_typed_without_punctuation_ends_at_a_spoken_break(
    text: str, sentences: list[str] | None
) -> None:
    assert split_sentences(text) == (sentences or [text])


def test_a_remark_typed_after_a_question_leaves_it_answered(talker: Talker) -> None:
    """The remark (I'd like to drop by) carries no weight against the question before it."""
    turn = talker.say("移住の相談窓口って市役所にあるんすか 帰省のついでに寄りたい")
    assert turn.entry_id == "contacts-city-relocation-desk"


def test_two_questions_typed_without_punctuation_are_both_taken_up(talker: Talker) -> None:
    """The first answered, the second one tap away, as when a 。 stands between them."""
    turn = talker.say("北見のアパートの家賃ってなんぼくらいさ 子供いれば市営住宅はいりやすいとかあるかい")
    assert turn.entry_id == "housing-rent"
    assert turn.response.choices[0].payload == "faq:housing-family-priority"


@pytest.mark.parametrize(
    ("text", "romaji"),
    [
        ("kitami no fuyu tte donokurai samui no?", True),
        ("touroku shitai desu", True),
        ("sapporo kara JR de nanjikan kakaru?", True),
        ("oshirase hoshii", True),
        ("arigatou gozaimashita!", True),
        ("konnichiwa", True),
        # A short question whose only Japanese word is no particle: still no English word.
        ("fuyu nando kurai?", True),
        ("kuruma nashi muri?", True),
        # English, some of whose words happen to be spelled in syllables.
        ("Show me the menu", False),
        ("show me what data you have on me", False),
        ("Can I talk to a real person please?", False),
        ("hoikuen fee for a 2yo?", False),
        ("no", False),
    ],
)
def test_japanese_typed_in_romaji_is_told_from_english(text: str, romaji: bool) -> None:
    assert is_romaji(text) is romaji


def test_romaji_is_read_as_kana_word_by_word() -> None:
    """Words that are no romaji (JR, a name in English) stay as typed; punctuation turns Japanese."""
    assert as_kana("sapporo kara JR de nanjikan kakaru?") == "さっぽろ から JR で なんじかん かかる？"
    # Hepburn's n before a syllable of n is ん, not the IME's nn: こんにちわ, みんな.
    assert as_kana("konnichiwa minna") == "こんにちわ みんな"


def test_a_question_typed_in_romaji_is_answered_in_japanese(talker: Talker) -> None:
    turn = talker.say("ijuu shienkin tte ikura moraeru no?")
    assert turn.entry_id == "money-relocation-support"
    assert "移住支援金" in turn.response.replies[0].text
    assert classify_turn(talker.say("touroku shitai desu"))[0] == "register"
    assert talker.say("arigatou gozaimashita!").intent == talker.say("ありがとうございました").intent
    assert talker.say("fuyu nando kurai?").entry_id == "climate-winter-cold"


def test_hiragana_is_spelled_back_only_where_a_whole_noun_stands() -> None:
    spellings = Spellings(["出産の費用はお金がかかります", "震度3の地震", "一緒に相談"])
    assert spellings.spell("しゅっさんのとき おかね でるのかい") == "出産のとき お金 でるのかい"
    assert spellings.spell("そうだんしたい") == "相談したい"
    # The sounds of 震度 and 一緒 inside words that are not those nouns.
    assert spellings.spell("もう しんどくて、うまいっしょ") == "もう しんどくて、うまいっしょ"


def test_a_noun_typed_in_hiragana_among_kanji_is_spelled_back_only_where_it_can_mean_nothing_else(
    talker: Talker,
) -> None:
    spellings = Spellings(["介護の相談", "常呂のホタテ", "補助金", "市役所の何課ですか"])
    assert spellings.spell("北見のかいごサービス", among_kanji=True) == "北見の介護サービス"
    assert spellings.spell("リフォームのほじょきん", among_kanji=True) == "リフォームの補助金"
    # ところで is "by the way" to anyone writing in kanji, whatever a grandparent's ところ means.
    assert spellings.spell("ところで家賃は", among_kanji=True) == "ところで家賃は"
    # なんか is a filler (a pronoun and its particle), never the entries' 何課.
    assert spellings.spell("なんか介護の仕事ある？", among_kanji=True) == "なんか介護の仕事ある？"
    turn = talker.say("親も年なので、北見のかいごサービスってどんなのがあるか知りたいです")
    assert turn.entry_id == "living-elderly-parents-care"


def test_a_word_voice_input_wrote_in_the_wrong_kanji_is_written_as_the_entries_do() -> None:
    """Dictated 「医療費の助成」 comes out 「医療費の女性」: a noun no entry uses, with the sound of one
    that an entry does, is that entry's noun. A noun the entries use is never touched."""
    spellings = Spellings(["子どもの医療費の助成", "移住支援金の条件"])
    indexed = {"子ども", "医療", "助成", "移住", "支援", "条件"}.__contains__
    assert spellings.respell("孫の医療費の女性って何歳まで", indexed) == "孫の医療費の助成って何歳まで"
    assert spellings.respell("移住の私怨金ってもらえる？", indexed) == "移住の支援金ってもらえる？"
    assert spellings.respell("移住の条件", indexed) == "移住の条件"


def test_a_wrong_kanji_among_dictated_kana_is_written_as_the_entries_do(talker: Talker) -> None:
    """A message dictated mostly in kana, with one noun voice input wrote in the wrong kanji (序説,
    "preface", for 除雪): the noun is written back there too, not only among kanji."""
    turn = talker.say("ゆき わたし ひとりで もう はねられないんだわ 序説 てつだって もらえるとこ あるかい")
    assert turn.entry_id == "living-snow-help-elderly"


def test_a_message_typed_in_kana_only_reads_its_katakana_as_kana(talker: Talker) -> None:
    """A hand that never converts mixes katakana and hiragana at random (マゴ, ヨメ, カエッテ): read as
    hiragana, the message is one a grandparent typed. Loanwords the entries use stay."""
    spellings = Spellings(["サテライトオフィスがあります"])
    used = {"サテライト", "オフィス"}.__contains__
    assert spellings.katakana_as_hiragana("マゴが カエッテ くる", used) == "まごが かえって くる"
    assert spellings.katakana_as_hiragana("サテライトオフィス ある？", used) == "サテライトオフィス ある？"
    turn = talker.say("マゴの ヨメさんに コが うまれる。 キタミで うむ とこ あるんかい")
    assert turn.entry_id == "health-giving-birth"


def test_a_word_voice_input_cut_into_pieces_is_written_as_the_entries_do() -> None:
    """Voice input writes a word it doesn't know as pieces that each exist: 保育園 as 保育 and 縁,
    女満別 as 目, 満 and 別. Their sound together is the entry's word; a compound the entries
    write themselves stays."""
    spellings = Spellings(["保育園の空き", "女満別空港から市内まで", "医療費の助成"])
    indexed = {"保育", "縁", "空港", "医療", "費", "助成"}.__contains__
    assert spellings.respell("保育縁に入れるかい", indexed) == "保育園に入れるかい"
    assert spellings.respell("目満別の空港から", indexed) == "女満別の空港から"
    assert spellings.respell("医療費の助成", indexed) == "医療費の助成"


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("babysitterの補助ってある？", "childcare-babysitter"),
        ("salmon modelってなに", "work-salmon-model"),
        ("北見ってcoworking spaceある？駅近だと助かる", "telework-coworking"),
    ],
)
def test_an_english_word_inside_japanese_is_read_as_the_entries_word(
    talker: Talker, text: str, entry: str
) -> None:
    assert talker.say(text).entry_id == entry


def test_chat_shorthand_in_english_is_no_word_of_the_question(talker: Talker) -> None:
    """lol, rn, ngl say how a person types: as words no entry uses they made a plain question look
    off topic, and it was only offered."""
    assert english_terms("ngl what's our population rn lol") == english_terms("what's the population")
    assert english_terms("is it hard to find a job, I want to know") == english_terms("a job")
    assert talker.say("how cold does it actually get in winter lol").entry_id == "climate-winter-cold"


def test_airport_codes_name_the_airports(talker: Talker) -> None:
    assert talker.say("HND-MMB flights, how many per day?").entry_id == "access-flights-tokyo"


def test_how_much_in_english_asks_for_an_amount(talker: Talker) -> None:
    """ "How much" is one term, though "how" and "much" are stop words: the fees are asked for, not
    the scheme that opens daycare to all."""
    turn = talker.say(
        "How much is daycare per month in Kitami, and is there a waiting list? Our son turns one soon"
    )
    assert turn.entry_id == "childcare-daycare-fees"


def test_an_english_word_inside_another_is_left_alone() -> None:
    synonyms = Synonyms([["無料", "free"]])
    assert synonyms.apply("なんさいまでfree？").split() == ["なんさいまで", "無料", "？"]
    assert synonyms.apply("freedomがほしい") == "freedomがほしい"


def test_old_kanji_forms_are_read_as_todays() -> None:
    assert modern_forms("孫娘が仙臺から歸って來る。醫者はゐるか") == "孫娘が仙台から帰って来る。医者はいるか"
    assert modern_forms("どのやうな所でせうか。伺ひたい") == "どのような所でしょうか。伺いたい"
    assert modern_forms("北見の冬") == "北見の冬"
    polite = modern_forms("誠に有難う御座います。宜しく御願い致します")
    assert polite == "誠にありがとうございます。よろしくお願いいたします"
    assert modern_forms("頂戴した資料の出来事") == "頂戴した資料の出来事"
    assert modern_forms("東京へ行きます") == "東京へ行きます"


def test_a_thank_you_typed_in_the_kanji_of_an_older_hand_is_a_thank_you(talker: Talker) -> None:
    turn = talker.say("丁寧なご説明を頂き誠に有難う御座います。早速息子に伝えます。")
    assert turn.intent == "smalltalk" and "どういたしまして" in turn.response.text


def test_a_wish_beside_a_question_does_not_make_it_no_page_s_question(talker: Talker) -> None:
    """「…がいい」 asks nothing: it says what the person hopes the answer holds."""
    assert talker.say("コワーキングってある？回線が速いとこがいい").entry_id == "telework-coworking"


def test_a_video_call_by_its_everyday_name_is_the_online_consultation(talker: Talker) -> None:
    assert talker.say("テレビ電話で移住の相談ってできますか").entry_id == "contacts-online-consultation"


def test_simplified_chinese_characters_are_read_as_the_japanese_forms() -> None:
    assert japanese_forms("保育园の费用、お试し住宅") == "保育園の費用、お試し住宅"
    # Every character a Japanese writer can type stays as it is (国, 芸, 台: the same in both).
    assert japanese_forms("国の芸術と台風、北見の冬") == "国の芸術と台風、北見の冬"


def test_a_question_with_simplified_chinese_characters_is_answered(talker: Talker) -> None:
    """A writer from mainland China types the forms her input method offers: 医疗费 is 医療費."""
    assert talker.say("孩子的医疗费、北见市は何歳まで助成がありますか").entry_id == "childcare-child-medical"


def test_a_letter_in_old_kanji_forms_is_answered(talker: Talker) -> None:
    """Before 1946 醫者 was how 医者 was written; some still write so."""
    turn = talker.say("北見の醫者は足りないと聞きましたが、本當でありませうか")
    assert turn.entry_id == "health-doctor-shortage"


def test_hiragana_is_spelled_back_to_nouns_with_a_suffix_and_to_katakana_words() -> None:
    spellings = Spellings(["保育園の保育料", "パソコンのクラスで暮らす"])
    assert spellings.spell("ほいくえんの ほいくりょう") == "保育園の 保育料"
    assert spellings.spell("ぱそこんで しごと") == "パソコンで しごと"
    # 暮らす typed in hiragana is the verb, not the katakana noun with its sound.
    assert spellings.spell("きたみで くらす") == "きたみで くらす"


def test_a_deletion_asked_for_after_a_quoted_dont_is_still_asked_for(talker: Talker) -> None:
    turn = talker.say("息子に「勝手に登録するな」って言われたので、私のデータを全部消してください")
    assert "削除してよろしいですか" in turn.response.text


def test_the_prohibitive_is_told_from_musing_and_if() -> None:
    assert prohibited("データ消すな") == ["消す"] and prohibited("息子に送るなよ") == ["送る"]
    assert prohibited("まだ登録すんな") == ["登録"]
    assert not prohibited("北見は寒いな") and not prohibited("そうだな") and not prohibited("送るなら教えて")
    # What someone else said, quoted, is not what this person asks.
    assert not prohibited("息子に「勝手に登録するな」って怒られたので、データを消してください")


def test_dont_with_naide_is_told_from_doing_without() -> None:
    for text, verb in [
        ("削除しないでください", "削除"),
        ("まだ消さないでおいてね", "消す"),
        ("息子には紹介しないでいただけますか", "紹介"),
        ("もう送らないでほしい", "送る"),
    ]:
        assert prohibited(text) == [verb], text
    assert prohibited("申込を取り消すつもりはございません") == ["取り消す"]
    assert prohibited("登録するつもりもないです") == ["登録"] and not prohibited("行くつもりです")
    # Asking whether one can do without is no "don't".
    assert not prohibited("登録しないで使えますか") and not prohibited("登録しないでもいいですか")


def test_katakana_typed_for_kanji_is_spelled_back_to_the_entries_nouns() -> None:
    """A learner of Japanese, or an old phone's half-width kana, writes 保育園 as ホイクエン: a
    katakana run the entries' nouns cover end to end is theirs; a loanword an entry uses stays."""
    spellings = Spellings(["保育園の保育料", "子育て支援センター", "テレワークの条件"])
    used = {"テレワーク"}.__contains__
    assert spellings.spell_katakana("ホイクエンのホイクリョウ", used) == "保育園の保育料"
    assert spellings.spell_katakana("ｺｿﾀﾞﾃｼｴﾝセンター", used) == "子育て支援センター"
    assert spellings.spell_katakana("テレワークのジョウケン", used) == "テレワークの条件"
    # Not covered end to end (ホイクシ: 保育 and し): left as typed.
    assert spellings.spell_katakana("ホイクシ", used) == "ホイクシ"
    # A verb or adjective typed in katakana for emphasis is that word, in hiragana.
    assert spellings.spell_katakana("医者がタリナイ、冬はサムイ", used) == "医者がたりない、冬はさむい"


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("ホイクエンのホイクリョウはいくらですか", "childcare-daycare-fees"),
        ("ｲﾘｮｳﾋの じょせいは なんさいまで", "childcare-child-medical"),
    ],
)
def test_a_question_with_kanji_words_typed_in_katakana_is_answered(
    talker: Talker, text: str, entry: str
) -> None:
    assert talker.say(text).entry_id == entry


def test_how_strongly_a_person_asks_is_not_what_they_ask_about(talker: Talker) -> None:
    """めっちゃ, ガチで, なまら say how much, in every register: no entry's word, and no word the
    question loses coverage for."""
    assert talker.say("雪ってめっちゃ降るんですか").entry_id == "climate-snow"
    assert talker.say("雪ってガチでどれくらい降るの").entry_id == "climate-snow"


def test_a_question_read_only_doubtfully_as_no_page_of_the_citys_is_offered(talker: Talker) -> None:
    """「…どこの病院がいいかね」 reads a little like a question no page answers (which shop is best,
    which ticket): the entry found is offered beside the city's desk, not answered, and no dead end."""
    turn = talker.say("こっちで子ども産むならどこの病院がいいかね")
    assert turn.entry_id is None
    payloads = [c.payload for c in turn.response.choices]
    assert any(p.endswith(":health-giving-birth") for p in payloads)
    assert "contact" in payloads


def test_what_is_asked_settles_a_sentence_torn_between_two_entries(talker: Talker) -> None:
    """The scene in front (「孫のことでお聞きしたいのですが」) leaves the medical-aid desk and the aid
    itself within a hair of each other; the clause that asks (「…医療費の助成は高校生まで出るんで
    しょうか」) is about the aid."""
    turn = talker.say(
        "こんにちは。孫のことでお聞きしたいのですが、北見では子どもの医療費の助成は高校生まで"
        "出るんでしょうか。娘が気にしておりまして。"
    )
    assert turn.entry_id == "childcare-child-medical"


def test_a_detail_the_entry_doesnt_give_is_offered_not_answered(talker: Talker) -> None:
    """The mint entry says nothing of the museum's opening hours: answering with it would tell the
    person about mint, not what they asked. It is offered."""
    turn = talker.say("北見ハッカ記念館の開館時間を教えてください")
    assert turn.entry_id is None
    assert "faq:culture-mint" in [c.payload for c in turn.response.choices]
    assert talker.say("市役所ってどこにありますか").entry_id == "living-city-hall"
    # Asked in a sentence of its own after the question.
    asked_after = talker.say("北見ハッカ記念館って冬も行けますか？開館時間が知りたいです")
    assert asked_after.entry_id is None


def test_a_schools_reputation_is_not_answered_with_the_schools_page(talker: Talker) -> None:
    """The schools' page says which schools there are, not what people think of one."""
    turn = talker.say("北見の南小学校って評判どうですか？")
    assert turn.entry_id is None
    assert "faq:education-schools" in [c.payload for c in turn.response.choices]


def test_one_companys_pay_is_not_answered_with_pay_in_general(talker: Talker) -> None:
    """The pay entry gives levels for the region; what a named (or hidden) company pays it cannot
    say, and is offered instead."""
    assert talker.say("北見の○○システムって会社、年収いくらくらい？").entry_id is None
    assert talker.say("How much do engineers at the biggest IT company in Kitami get paid?").entry_id is None
    # Pay in general, or which companies there are, is still answered.
    assert detail_not_given("北見の会社の給料って東京と比べてどう？", "") is None
    assert detail_not_given("What is the biggest IT company in Kitami?", "") is None


def test_an_answer_that_gives_the_detail_may_answer() -> None:
    assert detail_not_given("窓口の受付時間は？", "平日8時45分から17時30分まで受け付けています。") is None
    assert detail_not_given("What time does it close?", "Open 9am to 5pm on weekdays.") is None
    assert detail_not_given("工大の偏差値は？", "北見工業大学は国立の工科系大学です。") is not None


def test_a_space_typed_for_a_comma_ends_a_clause(talker: Talker) -> None:
    """An older writer types spaces where commas go: after 〜んだが the question begins. Words
    spaced apart in hiragana stay one clause but at a particle that closes one (だけど)."""
    assert clauses("施設をと考えとるんだが　北見の介護はどうなっとるべか") == [
        "施設をと考えとるんだが　",
        "北見の介護はどうなっとるべか",
    ]
    assert len(clauses("でんわばんごう まちがえて とうろくしたみたいなので なおしたいです")) == 1
    assert clauses("まごが こっち かえってくるって いうんだけど ふゆ なんどまで さがるもんか") == [
        "まごが こっち かえってくるって いうんだけど ",
        "ふゆ なんどまで さがるもんか",
    ]
    turn = talker.say("家内の母親がもう９０で　そろそろ施設をと考えとるんだが　北見の介護はどうなっとるべか")
    assert turn.entry_id == "living-elderly-parents-care"


def test_a_clause_that_points_back_settles_nothing_on_its_own(talker: Talker) -> None:
    """「それでも保育園に預けられますか」 asks about the wife not working: read alone, it is a question
    about temporary care, which the sentence as a whole is not."""
    turn = talker.say("妻は当面働かないつもりなんですが、それでも保育園に預けられますか")
    assert turn.entry_id is None and turn.response.choices


@pytest.mark.parametrize(
    "text",
    [
        "ばあちゃんの かいごのことも 娘がしんぱいしてるんです。"
        "わたしが うごけなくなったら どこにそうだんしたらいいもんですか",
        "年寄りの介護のことも息子が気にしてるんです。わたしらが動けなくなったら、どこに相談したらいいもんですか",
    ],
)
def test_a_question_that_finds_nothing_alone_is_read_with_the_sentence_before(
    talker: Talker, text: str
) -> None:
    """「どこに相談したらいい」 asks about the care named in the sentence before it."""
    assert talker.say(text).entry_id == "living-elderly-parents-care"


def test_a_question_only_offered_alone_is_answered_with_the_sentence_before(talker: Talker) -> None:
    """「補助金とかありますか？」 alone could be any grant; the renovation named before it says which."""
    turn = talker.say("古い実家をリフォームして住もうかと思ってます。補助金とかありますか？")
    assert turn.entry_id == "housing-renovation-grant"


def test_a_second_question_after_a_comma_in_english_is_offered_beside_the_first(talker: Talker) -> None:
    """In ", and how much is heating oil?" a question of its own begins: the first is answered and the
    second is one tap away, not read as one question about heating in winter."""
    turn = talker.say("How cold does it get in winter, and how much is heating oil?")
    assert turn.entry_id == "climate-winter-cold"
    assert "faq-en:living-heating-oil" in [c.payload for c in turn.response.choices]


def test_a_request_after_what_it_is_for_is_for_that(talker: Talker) -> None:
    """申し込みたい alone would register; after 「親向けの説明会、」 it signs up for the seminar."""
    assert talker.say("親向けの説明会、申し込みたいです").action == "events"


def test_a_request_then_its_reason_is_the_request(talker: Talker) -> None:
    """The message read whole ends as its reason does (〜ので); the request before it still stands."""
    turn = talker.say("登録したデータ全部消してください。移住の話なくなったので")
    assert turn.intent == "privacy" and turn.entry_id is None


def test_no_page_of_the_citys_with_a_wish_about_it_is_not_answered(talker: Talker) -> None:
    """The wish after the question says more about the shop; it is not what the message asks."""
    turn = talker.say(
        "北見で一番おいしい焼肉屋はどこでしょうか。取引先の接待にも使える個室のある店ですと助かります。"
    )
    assert turn.entry_id is None


def test_no_page_of_the_citys_beside_a_faint_wish_is_not_answered(talker: Talker) -> None:
    turn = talker.say("北見で一番うまい焼肉屋どこ？帰省したら行きたい")
    assert turn.entry_id is None
    assert "contact" in [c.payload for c in turn.response.choices]


def test_a_thank_you_and_a_goodbye_in_dialect_is_a_thank_you(talker: Talker) -> None:
    """したっけ (bye) reads faintly as a question: beside a sure thank-you it asks nothing."""
    assert talker.say("なまら助かったわ、ありがとね。したっけ").intent == "smalltalk"


def test_a_word_read_faintly_as_a_question_beside_a_thank_you_is_thanks(talker: Talker) -> None:
    """「Obrigado!」 is a word no page knows, read only faintly as a question: the message is the
    thank-you beside it, not "I can't answer that"."""
    turn = talker.say("Obrigado! thank you very much")
    assert turn.intent == "smalltalk" and turn.entry_id is None


def test_a_short_question_after_a_thank_you_is_asked_on_its_own(talker: Talker) -> None:
    """A thank-you says nothing the question could lean on: 家賃 is asked, not the thanks with it."""
    assert talker.say("ありがとうございます。ところで家賃っていくら？").entry_id == "housing-rent"


@pytest.mark.parametrize(
    "this_year",
    [
        "今年の冬は雪どのくらい積もるんだべか",
        "Will we get a lot of snow this winter?",
        "今冬の降雪量の予想を教えていただけますか",
    ],
)
def test_what_this_winter_will_bring_is_offered_not_answered(talker: Talker, this_year: str) -> None:
    """The snow entry gives the usual snowfall, not this winter's: a forecast no page makes."""
    turn = talker.say(this_year)
    assert turn.entry_id is None
    assert any(c.payload.endswith(":climate-snow") for c in turn.response.choices)
    assert talker.say("今年は雪が多いって聞いたけど、いつもはどのくらい降るの？").entry_id == "climate-snow"


def test_how_to_use_something_else_is_not_this_chats_help(talker: Talker) -> None:
    """「e-Taxの使い方」 asks about e-Tax, which no page covers: the concierge says it can't answer
    and offers the city's desk, rather than explaining itself. Its own use is still explained."""
    turn = talker.say("確定申告のe-Taxの使い方を教えてください")
    assert turn.intent != "help" and turn.entry_id is None
    assert "contact" in [c.payload for c in turn.response.choices]
    assert talker.say("このチャットの使い方を教えてください").intent == "help"


@pytest.mark.parametrize("text", ["エントリーシート添削してほしい", "職務経歴書を添削してもらえますか"])
def test_asking_for_help_with_ones_own_papers_starts_no_deletion(talker: Talker, text: str) -> None:
    """添削 (correcting a paper) shares a letter with 削除 (delete): no deletion is offered or begun."""
    turn = talker.say(text)
    assert turn.action is None and turn.entry_id is None
    assert not any("delete" in c.payload for c in turn.response.choices)


@pytest.mark.parametrize(
    ("not_ours", "ours", "entry"),
    [
        ("北見でいちばん美味しい焼肉屋さんってどこですか", "北見って焼肉のまちなの？", "culture-yakiniku"),
        ("女満別空港の駐車場って一日いくら？", "女満別空港から市内まで何分？", "access-airport-to-city"),
        (
            "ロコ・ソラーレの試合のチケットはどこで買えますか",
            "ロコ・ソラーレってどんなチーム？",
            "culture-loco-solare",
        ),
        # A forecast asked in hiragana and dialect is still a forecast.
        (
            "らいげつは ゆき たくさん ふるんだべか、よほう みたいの でてるかい",
            "北見って雪どのくらいふるの？",
            "climate-snow",
        ),
    ],
)
def test_what_no_page_of_the_citys_answers_is_not_answered_with_its_topic(
    talker: Talker, not_ours: str, ours: str, entry: str
) -> None:
    """A shop to pick, a ticket, a car park's fee: the entry on the topic would answer in their
    place. The concierge says it doesn't know and offers the city's desk; the topic's own question
    is still answered."""
    turn = talker.say(not_ours)
    assert turn.entry_id is None
    assert "contact" in [c.payload for c in turn.response.choices]
    assert talker.say(ours).entry_id == entry


def test_a_polite_tail_after_a_question_is_no_request_for_help(talker: Talker) -> None:
    turn = talker.say("北見で子どもが生まれたら、お祝い金みたいなものはありますか？わかれば教えてください")
    assert turn.intent == "faq" and turn.entry_id == "childcare-birth-support"


def test_a_reason_after_a_question_read_unsurely_is_still_a_reason(talker: Talker) -> None:
    """「娘にわたしたいもので」 hangs on もので: why the parent asks, even where the question before it
    reads as one only at 0.53. The pamphlet is answered; passing it on is a button."""
    turn = talker.say("移住のパンフレットって送ってもらえるんでしょうか。娘にわたしたいもので")
    assert turn.intent == "faq" and turn.entry_id == "programs-pamphlets"
    assert "referral" in [c.payload for c in turn.response.choices]


def test_passing_the_answer_on_after_a_question_is_why_a_parent_asks(talker: Talker) -> None:
    """「…ありますか？息子に教えてあげたいんです」: the question is answered and the referral offered."""
    turn = talker.say("移住した人への北見市独自の支援ってありますか？息子に教えてあげたいんです")
    assert turn.intent == "faq" and turn.entry_id == "money-kitami-own-support"
    assert "referral" in [c.payload for c in turn.response.choices]


@pytest.mark.parametrize(
    ("said", "entry"), [("ロコソラーレ", "culture-loco-solare"), ("空港", "access-airport-to-city")]
)
def test_a_topic_named_alone_is_answered(talker: Talker, said: str, entry: str) -> None:
    """A topic's own word reads a little like the near-misses asked about it (not_ours), but it is
    one of its entry's keywords: it is searched and answered."""
    assert talker.say(said).entry_id == entry


def test_a_question_pointing_back_asks_about_the_sentence_before(talker: Talker) -> None:
    """「そういう場合でも…」 asks about what was just said: the grant for someone keeping a Tokyo job,
    not the telework entry that sentence would get on its own."""
    turn = talker.say(
        "夫が東京の会社に在籍したままテレワークで北見に移りたいと申しております。"
        "そういう場合でも移住の支援金はいただけるのでしょうか"
    )
    assert classify_turn(turn)[2][:1] == ("money-conditions-telework",)  # answered, or offered first


def test_a_short_question_after_is_that_true_asks_about_what_was_heard(talker: Talker) -> None:
    """「…お金がもらえるって聞いたんだわ。本当ですか？いくらぐらいもらえるの」: "how much" asks about
    the money just heard of; alone it was answered with the city's finances."""
    turn = talker.say(
        "娘が東京からこっちに戻ったら、市から引っ越しのお金がもらえるって聞いたんだわ。"
        "本当ですか？いくらぐらいもらえるの"
    )
    # The city's own moving money and the national grant are the two the person may have heard of
    # (the city's own answer points to the grant); never the city's finances.
    assert turn.entry_id in (None, "money-relocation-support", "money-kitami-own-support")
    assert "money-relocation-support" in classify_turn(turn)[2]


def test_changing_what_is_registered_elsewhere_starts_no_change_of_ones_data(talker: Talker) -> None:
    """A pension's bank account is the pension office's, not a change of one's registration here."""
    turn = talker.say("年金の振込先の銀行を変えたいです")
    assert turn.action is None and classify_turn(turn)[0] != "edit_data"


@pytest.mark.parametrize(
    ("said", "action"),
    [
        ("しやくしょの ひとに でんわで はなし きかせて もらいたいんだわ", "handoff"),
        ("かいた でんわばんごう なにに つかうんだべ", "privacy_notice"),
    ],
)
def test_grandparents_requests_in_hiragana_and_dialect(talker: Talker, said: str, action: str) -> None:
    assert classify_turn(talker.say(said))[0] == action


def test_an_english_follow_up_is_read_with_the_sentence_before_it(talker: Talker) -> None:
    """ "Is there any grant for that?" alone is answered with whichever entry has a grant (renovation,
    at 0.9); "that" is the move just mentioned: the grant for moving, or no answer."""
    turn = talker.say("Thinking of the move with my wife. Is there any grant for that?")
    assert turn.entry_id in (None, "money-relocation-support")


def test_a_self_introduction_with_regards_is_greeted(talker: Talker) -> None:
    """どうぞよろしく holds どう but asks nothing: the person is welcomed, not told "I don't know"."""
    turn = talker.say("はじめまして。端野に住んでおります田中と申します。どうぞよろしくお願いいたします")
    assert turn.action == "greeting"


def test_a_letter_whose_question_hides_in_a_statement_is_answered(talker: Talker) -> None:
    """No sentence ends in a question, but the letter asks all the same; it is not only greeted."""
    turn = talker.say(
        "師走の候、突然のお便りにて失礼いたします。父が心臓の病を抱えておりまして、息子が、北見で心臓の"
        "手術が受けられるのかと案じております。ご教示賜れれば幸甚に存じます。"
    )
    assert turn.entry_id == "health-cardiac-surgery"


def test_a_letter_with_a_question_in_its_middle_is_searched_not_greeted(talker: Talker) -> None:
    """Every sentence reads as preamble, but the middle one asks (…ございましょうか。): the
    parent gets the answer, not a welcome."""
    turn = talker.say(
        "新聞にて北見でも医師が不足していると読みました。實情はいかがなものでございましょうか。"
        "孫の生まれる身としては氣掛かりでなりませぬ。"
    )
    assert turn.entry_id == "health-doctor-shortage"


def test_a_place_in_the_sentence_before_a_question_about_kitami_is_the_persons_own(talker: Talker) -> None:
    """The Tokyo daycare is why they ask; the question names Kitami and is answered."""
    turn = talker.say("4月から東京の保育園に入れなくて困ってます。北見だと待機児童っているんですか？")
    assert turn.entry_id == "childcare-waiting-list"
    # A question about another place alone is still not answered with Kitami's entry.
    assert talker.say("札幌の保育園って待機児童いるんですか？").entry_id is None


def test_a_softened_adjective_reads_as_the_adjective(talker: Talker) -> None:
    """少なめ (a little less) is 少ない to the search, not a word no entry uses."""
    assert morphemes("北見は少なめ") == morphemes("北見は少ない")
    assert morphemes("寒さは厳しめ") == morphemes("寒さは厳しい") and morphemes("二つ目") != morphemes("二つ")
    _got, _answered, shown = classify_turn(talker.say("台風とか地震は北見だと少なめですか"))
    assert {"safety-earthquake", "safety-typhoon"} <= set(shown)


def test_a_son_coming_home_reads_alike_however_a_parent_writes_it(talker: Talker) -> None:
    """せがれ / 倅 are the son; かえってくる typed in hiragana is 帰ってくる, not 却って (rather) or
    孵る (hatch). Courtesies and laughter (拝啓, 恐縮, w) weigh nothing."""
    synonyms = Synonyms(load_synonyms())

    def terms(text: str) -> tuple[str, ...]:
        return morphemes(synonyms.apply(normalize(text)))

    assert terms("せがれがかえってくる") == terms("倅が帰ってくる w") == terms("息子が帰ってくる")
    assert terms("新聞で、息子が帰ってくると嬉しい") == terms("息子が帰ってくる")
    assert (
        talker.say("せがれ かえってきても しごと あるべか。こっちは なんも ないっしょ").entry_id
        == "work-job-market"
    )


def test_joints_of_a_letter_are_no_words_of_its_question() -> None:
    """また and 〜した暁には (once it has happened) join clauses; as words no entry uses they would
    make a parent's question look off topic."""
    terms = morphemes("孫が生まれました暁には、医療費の助成は何歳まで、また何が対象ですか")
    assert "暁" not in terms and "又" not in terms and "助成" in terms
    # さて, 〜に際しまして, 頂戴できる, 〜の類: the letter's words; 妊娠, 出産, 支援 are its question's.
    terms = morphemes("さて、妊娠・出産に際しまして市から頂戴できる支援金の類はございましょうか")
    assert set(terms) >= {"妊娠", "出産", "支援"} and not set(terms) & {"扠", "際する", "頂戴", "類"}


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("お産の前後にどのような支援をいただけるのか、お教えいただけますか", "childcare-birth-support"),
        ("子どもの医療費の助成は何歳まで受けられるのでございましょうか", "childcare-child-medical"),
    ],
)
def test_humble_words_of_a_formal_question_weigh_nothing(talker: Talker, text: str, entry_id: str) -> None:
    """ございます and いただけますか say how politely, not what about: the question is answered as
    plainly asked (and いただけ is not the casual ただ, "free")."""
    assert talker.say(text).entry_id == entry_id


def test_a_statement_that_reads_a_little_like_a_request_gives_way_to_a_sure_question(talker: Talker) -> None:
    """「she want to come back home」 reads faintly as passing the chat on to her; the question after it
    is what the parent asks, and is answered."""
    turn = talker.say("My daughter is nurse in Tokyo, she want to come back home. Are there jobs in Kitami?")
    assert turn.intent == "faq" and turn.entry_id == "work-job-market"
    # A request the message makes read whole is made: the question after it says what about.
    assert talker.say("could i talk to a real person? need advice on housing in kitami").intent == "contact"
    # Beside a question surely no page's, 見たい is what the show is for, not a look at one's data.
    unasked = talker.say("おすすめのドラマある？夜勤明けに見たい")
    assert unasked.action is None and unasked.entry_id is None


def test_a_long_english_question_with_its_context_first_is_answered(talker: Talker) -> None:
    """Words like "options" and "available" say there is a choice, not what about; ", and whether…" asks a
    second question of its own."""
    turn = talker.say(
        "My wife is from Kitami. I was wondering what the options are for high schools there, "
        "and whether our son could transfer mid-year."
    )
    assert turn.entry_id == "education-schools"


def test_how_it_works_after_a_question_asks_about_the_question_not_the_chat(talker: Talker) -> None:
    help_text = talker.say("使い方がよくわからないです").response.text
    turn = talker.say(
        "北見在住の母です。娘がいま東京で働いておりますが、会社を辞めずに北見へ戻ってきて"
        "こちらで仕事を続けることはできるのでしょうか。仕組みを教えてください"
    )
    assert turn.intent == "faq" and turn.response.text != help_text


def test_stop_stops_what_the_sentence_names(talker: Talker) -> None:
    """「止めて」 alone cancels what is going on; after the notices are named, it stops the notices."""
    assert classify_turn(talker.say("お知らせが多すぎるので、止めてください"))[0] == "notices_off"


def test_a_likely_but_unsure_request_is_offered_as_a_button(talker: Talker) -> None:
    turn = talker.say("登録とかってどうなってるの")
    assert turn.intent != "lead_start"
    assert "lead" in [c.payload for c in turn.response.choices]


def test_an_unsure_request_is_asked_about_not_called_a_question_without_answer(talker: Talker) -> None:
    """The button is the likely action; the words say so, rather than "I can't answer that"."""
    turn = talker.say("とうろくしたじゅうしょがまちがってたから、なおしたいんだけど")
    assert turn.response.choices[0].payload == "privacy:edit"
    assert turn.response.text.startswith("もしかして、こちらのお手続き")
    # A question the concierge has no page for is told so, whatever button is beside it.
    assert talker.say("おすすめの韓ドラある？夜勤明けに見たい").response.text.startswith("すみません")


# Floors just under what docs/understanding.md reports for the dev splits (tuned on them), at least
# one message below each figure: a sentence vector differs in its last digits from one CPU to
# another, and two entries within a hair of each other may swap (dev3 failed so at 0.93).
# Messages, actions recognized, top-1, top-3, confidently wrong at most, out of scope not answered.
DEV_FLOORS = {
    "dev.yaml": (250, 0.96, 0.80, 0.95, 0.03, 0.92),
    "dev2.yaml": (140, 0.95, 0.84, 0.97, 0.04, 0.84),
    "dev3.yaml": (170, 0.97, 0.92, 0.98, 0.03, 0.90),
    "dev4.yaml": (160, 0.97, 0.83, 0.96, 0.03, 0.82),
    "dev5.yaml": (160, 0.96, 0.79, 0.92, 0.04, 0.87),
    "dev6.yaml": (210, 0.97, 0.89, 0.97, 0.03, 0.79),
    "dev7.yaml": (220, 0.97, 0.91, 0.97, 0.03, 0.83),
    "dev8.yaml": (200, 0.97, 0.82, 0.96, 0.02, 0.88),
    "dev9.yaml": (190, 0.94, 0.88, 0.96, 0.03, 0.91),
    "dev10.yaml": (190, 0.97, 0.84, 0.98, 0.02, 0.96),
    "dev11.yaml": (180, 0.96, 0.88, 0.95, 0.02, 0.90),
    "dev12.yaml": (170, 0.95, 0.89, 0.97, 0.02, 0.94),
    "dev13.yaml": (170, 0.94, 0.81, 0.96, 0.02, 0.95),
    "dev14.yaml": (160, 0.97, 0.92, 0.98, 0.02, 0.93),
    "dev15.yaml": (160, 0.97, 0.90, 0.97, 0.03, 0.90),
    "dev16.yaml": (150, 0.95, 0.91, 0.98, 0.03, 0.85),
    "dev17.yaml": (150, 0.95, 0.86, 0.97, 0.03, 0.90),
    "dev18.yaml": (110, 0.97, 0.94, 0.98, 0.01, 0.75),
    "dev19.yaml": (130, 0.96, 0.88, 0.98, 0.02, 0.90),
    "dev20.yaml": (130, 0.96, 0.91, 0.98, 0.02, 0.92),
    "dev21.yaml": (140, 0.96, 0.90, 0.98, 0.02, 0.92),
    "dev22.yaml": (140, 0.97, 0.89, 0.98, 0.02, 0.92),
    "dev23.yaml": (130, 0.96, 0.86, 0.96, 0.03, 0.85),
    "dev24.yaml": (140, 0.97, 0.78, 0.95, 0.01, 0.92),
    "dev25.yaml": (130, 0.95, 0.80, 0.98, 0.03, 0.92),
    "dev26.yaml": (140, 0.97, 0.83, 0.98, 0.02, 0.93),
    "dev27.yaml": (140, 0.97, 0.79, 0.98, 0.02, 0.93),
    "dev28.yaml": (140, 0.93, 0.87, 0.97, 0.04, 0.80),
    "dev29.yaml": (140, 0.94, 0.88, 0.97, 0.02, 0.84),
    "dev30.yaml": (130, 0.95, 0.80, 0.97, 0.03, 0.94),
    "dev31.yaml": (190, 0.98, 0.82, 0.97, 0.01, 0.94),
    "dev32.yaml": (130, 0.97, 0.89, 0.98, 0.02, 0.91),
    "dev33.yaml": (140, 0.91, 0.87, 0.98, 0.02, 0.92),
    "dev34.yaml": (140, 0.94, 0.90, 0.98, 0.01, 0.92),
    "dev35.yaml": (140, 0.92, 0.77, 0.94, 0.03, 0.93),
    "dev36.yaml": (170, 0.93, 0.84, 0.96, 0.03, 0.88),
    "dev37.yaml": (130, 0.97, 0.90, 0.98, 0.03, 0.84),
    "dev38.yaml": (160, 0.97, 0.87, 0.98, 0.01, 0.93),
    "dev39.yaml": (130, 0.97, 0.92, 0.97, 0.03, 0.81),
    "dev40.yaml": (120, 0.97, 0.93, 0.98, 0.01, 0.92),
    "dev41.yaml": (170, 0.97, 0.91, 0.98, 0.01, 0.97),
    "dev42.yaml": (95, 0.97, 0.88, 0.98, 0.03, 0.85),
    "dev43.yaml": (130, 0.97, 0.90, 0.98, 0.01, 0.97),
    "dev44.yaml": (125, 0.97, 0.86, 0.96, 0.02, 0.97),
    "dev45.yaml": (135, 0.97, 0.80, 0.98, 0.03, 0.90),
    "dev46.yaml": (130, 0.97, 0.77, 0.97, 0.01, 0.97),
    "dev47.yaml": (125, 0.95, 0.90, 0.98, 0.01, 0.97),
    "dev48.yaml": (125, 0.94, 0.87, 0.98, 0.01, 0.97),
    "dev49.yaml": (140, 0.93, 0.83, 0.97, 0.03, 0.92),
    "dev50.yaml": (135, 0.88, 0.84, 0.97, 0.03, 0.91),
    "dev51.yaml": (130, 0.92, 0.80, 0.95, 0.03, 0.91),
    "dev52.yaml": (145, 0.90, 0.73, 0.95, 0.05, 0.91),
    "dev53.yaml": (140, 0.96, 0.92, 0.98, 0.03, 0.80),
    "dev54.yaml": (125, 0.97, 0.83, 0.97, 0.02, 0.92),
    "dev55.yaml": (130, 0.97, 0.84, 0.98, 0.03, 0.92),
}


@pytest.mark.parametrize("split", sorted(DEV_FLOORS))
def test_floors_on_the_blind_dev_splits(kb: KnowledgeBase, split: str) -> None:
    report = evaluate_messages(read_labelled_messages(BLIND_DEV.with_name(split)), kb)
    numbers = report.summary()
    messages, actions, top1, top3, wrong, declined = DEV_FLOORS[split]
    assert numbers["messages"] >= messages
    assert numbers["actions_recognized"] >= actions, numbers
    assert numbers["faq_top1"] >= top1, numbers
    assert numbers["faq_top3"] >= top3, numbers
    assert numbers["confidently_wrong"] <= wrong, numbers
    assert numbers["out_of_scope_not_answered"] >= declined, numbers


def test_search_works_without_the_sentence_vector_model() -> None:
    words_only = KnowledgeBase.load(semantic=False)
    match = words_only.match("女満別空港から北見の市内まで車で何分くらいかかりますか")
    assert match.outcome == "answer" and match.hits[0].entry.id == "access-airport-to-city"


def test_vectors_of_entries_not_shipped_are_computed_once_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "events.yaml").write_text(
        "entries:\n"
        "  - id: events-obon-seminar\n"
        "    category: イベント\n"
        "    questions: [お盆に帰省したとき相談できる場はありますか, 帰省中の相談会, 夏の移住相談会]\n"
        "    answer: お盆の時期の相談会は、市の移住相談窓口にお問い合わせください。\n"
        "    sources: [{title: 北見市, url: 'https://www.city.kitami.lg.jp/', date: '2026-11'}]\n"
        "    reviewed: 2026-11-25\n",
        encoding="utf-8",
    )
    kb = KnowledgeBase.load(folder)
    [cache] = list((tmp_path / "cache" / "kitami-concierge").glob("vectors-*.npz"))
    assert kb.match("帰省したタイミングで相談できるところある？").hits[0].entry.id == "events-obon-seminar"
    kept = cache.stat().st_mtime_ns
    KnowledgeBase.load(folder)  # the same texts: nothing new to compute or write
    assert cache.stat().st_mtime_ns == kept


class CountingEmbedder:
    """The real sentence-vector model, counting the questions it is asked to read."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.queries = inner, inner.name, 0

    def embed(self, texts: Sequence[str], kind: str) -> Vectors:
        self.queries += len(texts) if kind == QUERY else 0
        return self.inner.embed(texts, kind)


def test_the_sentence_vector_is_computed_only_where_words_leave_the_answer_open() -> None:
    model = default_embedder()
    if model is None:
        pytest.skip("no sentence-vector model for this platform")
    counting = CountingEmbedder(model)
    kb = KnowledgeBase(load_entries(), embedder=counting)
    sure = kb.match("冬の灯油代はいくらかかりますか？")  # words alone are sure
    hopeless = kb.match("猫の爪切りのコツを知りたい")  # words alone: nothing near it
    assert sure.hits[0].entry.id == "living-heating-oil" and hopeless.outcome == "none"
    assert counting.queries == 0
    open_by_words = kb.match("北見の冬ってどんな感じ？")  # 冬: the cold, the snow, indoor play…
    assert counting.queries == 1 and open_by_words.hits[0].entry.id == "climate-winter-cold"


def test_every_action_is_taught_by_at_least_thirty_examples_and_no_example_twice() -> None:
    """Recognition comes from examples: each action needs enough of them, and a text filed under two
    labels would teach the recognizer both."""
    examples = read_examples()
    thin = {label: len(texts) for label, texts in examples.items() if len(texts) < 30}
    assert thin == {}
    filed = [text for texts in examples.values() for text in texts]
    assert sorted(t for t in set(filed) if filed.count(t) > 1) == []
    actions = {label for label in examples if label not in NOT_ACTIONS}
    assert {"register", "refer", "handoff", "delete_data", "events", "notices_off"} <= actions


def test_the_fitted_model_read_without_scikit_learn_agrees_with_it(tmp_path: Path) -> None:
    """The recognizer reads messages with plain arrays (intents/fitted.py); the probabilities are
    scikit-learn's own, for every example and for messages it was not fitted on."""
    from intents.fitted import FittedModel
    from intents.recognizer import _fit, _lemma_terms, _training_set, fold

    texts, labels = _training_set(read_examples(), ())
    pipeline = _fit(texts, labels)
    FittedModel.from_pipeline(pipeline).save(tmp_path / "model.npz")
    model = FittedModel.load(tmp_path / "model.npz", fold, _lemma_terms)
    unseen = [m.text for m in read_labelled_messages(BLIND_DEV.with_name("dev8.yaml"))]
    said = [*texts, *unseen, "", "　", "ｷｬﾝｾﾙ", "x" * 500]
    assert model.labels == tuple(pipeline.classes_)
    assert np.allclose(model.probabilities(said), pipeline.predict_proba(said), atol=1e-9)
