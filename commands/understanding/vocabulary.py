"""The one table of phrasings the bot understands in thread replies.

Adding a phrasing is one line here (a regular expression over the reply's normalised,
lower-case text); the corpus in tests/fixtures/replies_corpus.yaml is the specification and
says what each kind of reply must be read as. The rules that combine these rows (which
negation governs which word) are in commands/understanding/reading.py.
"""

from __future__ import annotations

# Words that say the return is in. Strong ones count on their own; weak ones ("sent",
# "done") count only beside a word for the return (or alone), so "I've just returned from
# leave" is not a submission.
STRONG_SUBMISSION = (
    r"\bsubmitted\b",
    r"\bsubmission (?:is )?(?:now )?(?:in|made|complete)\b",
    r"✅",
    r"\ball done\b",
    r"\bwedi(?:'i| ei)? gyflwyno\b",  # Welsh: "(has been) submitted"
)
WEAK_SUBMISSION = (
    r"\bsent\b",
    r"\bsent (?:it|this|ours) (?:over|in|across|through)\b",
    r"\bup-?loaded\b",
    r"\breturned\b",
    r"\battached\b",
    r"\bdone\b",
    r"\bcompleted?\b",
    r"\bfinished\b",
    r"\bfiled\b",
    r"\be-?mailed\b",
)
# What the weak words must be beside (the return, or "it").
RETURN_WORDS = (
    r"\breturn\b",
    r"\bit\b",
    r"\bours\b",
    r"\bs11\b",
    r"\bsection 11\b",
    r"\baudit\b",
    r"\b(?:self[- ])?assessment\b",
    r"\bform\b",
    r"\bdocument\b",
    r"\btemplate\b",
    r"\btoolkit\b",
    r"\bevidence\b",
    r"\bsubmission\b",
    r"\bsharepoint\b",
    r"\bportal\b",
    r"\blink\b",
    r"\b(?:by|via) e-?mail\b",
    r"\bthis (?:has|was|is)\b",
    r"\bqa (?:officer|inbox|team|mailbox)\b",
)
# Uses of those words that are not about the return.
NOT_SUBMISSION = (
    r"\breturned (?:from|to work|to the office)\b",
    r"\bsent (?:you )?(?:an? )?(?:e-?mail|message|question|note|query)\b",
    r"\bsent from my\b",
)
# The return itself: a clause saying one of these is still to come ("the self-assessment will
# follow tomorrow") outweighs a submission word elsewhere (the evidence was uploaded).
THE_RETURN_ITSELF = (
    r"\b(?:the|our) (?:s11 |section 11 )?(?:return|self[- ]assessment)\b"
    r"(?! (?:action plan|appendi|evidence))",
)
# Words that, before a submission word in the same clause, mean it has not happened:
# "not submitted yet", "haven't submitted", "will be submitted next week".
NEGATORS = (
    r"\bnot\b",
    r"n't\b",
    r"\bnever\b",
    r"\byet to\b",
    r"\bstill to\b",
    r"\bwill\b",
    r"'ll\b",
    r"\bgoing to\b",
    r"\babout to\b",
    r"\bsoon\b",
    r"\bshortly\b",
    r"\bwhen\b",
    r"\bonce\b",
    r"\bif\b",
    r"\bbefore\b",
    r"\bshould\b",
    r"\bhope\b",
    r"\bhoping\b",
    r"\bplan(?:ning)?\b",
    r"\baim(?:ing)?\b",
    r"\bnearly\b",
    r"\balmost\b",
    r"\bneeds? to\b",
    r"\bhave to\b",
    r"\bbe\b",
    r"\bno\b",
)
# Said without a submission word: the return is not in yet.
NOT_YET = (
    r"\bwill (?:submit|send|upload|return)\b",
    r"\b(?:we|i)'ll (?:submit|send|upload|get)\b",
    r"\bworking on (?:it|the return)\b",
    r"\bin progress\b",
    r"\b(?:nearly|almost) (?:there|done|finished|ready|complete)\b",
    r"\bnot yet\b",
    r"\b(?:just )?waiting (?:for|on) (?:the |our )?(?:director|chief|sign|approval|board)",
    r"\bwill (?:pick (?:this|it) up|look at (?:this|it)|get (?:this|it) (?:done|to you|over))\b",
    r"\bnot (?:done|finished|ready|complete) yet\b",
    r"\bstill (?:waiting|working|drafting|finalising|finalizing)\b",
    r"\bawaiting (?:sign[- ]?off|approval)\b",
    r"\bbeing signed off\b",
    r"\bsending (?:it )?(?:over )?(?:today|tomorrow|later|next|on)\b",
    r"\b(?:will|to) follow\b",
)
# Asking for more time. The date or the length is read after the phrase.
EXTENSION = (
    r"\bextension\b",
    r"\bextend(?:ed)? (?:the |our )?deadline\b",
    r"\b(?:more|extra|additional) time\b",
    r"\bpush (?:back )?the deadline\b",
    r"\b(?:another|a further|an extra) (?:few |couple of )?(?:\d+ |one |two |three |four )?"
    r"(?:days?|weeks?|fortnight|months?)\b",
    r"\b(?:\d+|one|two|three|four|a couple of|a few) (?:more|extra|further) (?:days?|weeks?|months?)\b",
    r"\b(?:could|can) we have until\b",
)
# Not coming to the meeting.
APOLOGY = (
    r"\bapolog(?:y|ies|ise|ize)s?\b",
    r"\bcan(?:no|')t (?:make|attend|come|join|be there)\b",
    r"\bunable to (?:attend|make|join|come|be there)\b",
    r"\bnot able to (?:attend|make|join|come)\b",
    r"\bwon't be (?:able to (?:attend|make|join|come)|there|attending|joining)\b",
    r"\bymddiheuriadau\b",  # Welsh: apologies
)
# Apologies for something else are not apologies for absence.
NOT_APOLOGY = (r"\bapolog(?:y|ies|ise|ize)s? for (?:the|my|our) (?:delay|late|confusion)",)
# A reply made only of these (and greetings) is an acknowledgement: nothing to record.
ACK = (
    r"\bthanks?(?: you)?(?: (?:very|so) much)?(?: for (?:the|your) (?:reminder|extension|update|help))?\b",
    r"\bmany thanks\b",
    r"\bthx\b",
    r"\bta\b",
    r"\bcheers\b",
    r"\bdiolch(?: yn fawr)?\b",
    r"\b(?:great|brilliant|lovely|perfect|super|excellent)\b",
    r"\bnoted\b",
    r"\bok(?:ay)?\b",
    r"\bgot it\b",
    r"\bwill do\b",
    r"\bsounds good\b",
    r"\breceived\b",
    r"👍|🙏|🙂|😊|👌",
)
# A reply that asks something (besides a "?").
QUESTION = (
    r"^(?:can|could|would|is|are|has|have|do|does|did|when|what|how|who|where|why|which)\b",
    r"\bnot sure (?:if|whether|what|how)\b",
    r"\bwondering\b",
)
# Greetings and sign-offs, removed before reading (English and Welsh).
GREETINGS = (
    r"^(?:hi|hello|hiya|hey|dear)(?: (?:all|everyone|team|both|there|colleagues))?\b",
    r"^good (?:morning|afternoon|evening)(?: (?:all|everyone|team))?\b",
    r"^morning(?: all)?\b",
    r"^(?:bore da|prynhawn da|noswaith dda|shwmae|sut mae|helo)\b",
    r"\b(?:kind |best |warm )?regards\b.*$",
    r"\bcofion(?: gorau)?\b.*$",
    r"\bsent from my \w+.*$",
)
# A reply that corrects how the bot read the reply before it.
CORRECT_TO_SUBMITTED = (r"^that (?:was|is) a submission\b",)
CORRECT_TO_COMMENT = (
    r"^that (?:was|is) (?:just )?a comment\b",
    r"^that (?:was|is)(?: not|n't) a submission\b",
)
CORRECT_UNDO = (r"^undo\b",)
# Words a typo is corrected to (one letter wrong, missing, extra or swapped), and real words
# that are one letter from them and must be left alone.
KEYWORDS = ("submitted", "uploaded", "attached", "extension", "apologies", "returned")
NOT_TYPOS = frozenset({"attacked", "submitter", "returner", "extensive", "uploader"})
# Slack emoji codes read as a word; others are dropped.
EMOJI_CODES = {
    "white_check_mark": "✅",
    "heavy_check_mark": "✅",
    "ballot_box_with_check": "✅",
    "+1": "👍",
    "thumbsup": "👍",
    "pray": "🙏",
    "slightly_smiling_face": "🙂",
    "ok_hand": "👌",
}
EMOJI_CHARACTERS = {"✔️": "✅", "✔": "✅", "☑️": "✅", "☑": "✅", "👍🏻": "👍", "👍🏼": "👍", "👍🏽": "👍"}
# Lines that start the forwarded or quoted part of a message.
FORWARD_MARKERS = (
    r"^-+ ?forwarded message ?-+",
    r"^begin forwarded message",
    r"^-+ ?original message ?-+",
    r"^from: .+",
    r"^fwd?:",
)
