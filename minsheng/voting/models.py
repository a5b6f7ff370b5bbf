"""民生实事项目票决制: solicitation, candidate projects, secret ballots of a congress's deputies, results by law.

Secrecy by construction: `Elector` records THAT a deputy voted (has_voted, no time); while the vote is open WHAT
was voted is only in the sealed box (`SealedBallot`, encrypted with the vote's `BallotBox` key); at closing the box
is opened and `Ballot` + `BallotChoice` rows are written in a random order, with random UUID keys, no timestamp,
no deputy. Nothing in the schema links a ballot to a voter (tests/test_secrecy.py checks the schema, the data, the
row order and PostgreSQL's row versions; ballot_box.py and the README's threat model say why).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.models import TimeStampedModel, TransitionsMixin

from .rules import validate_quorum


class Solicitation(TransitionsMixin, TimeStampedModel):
    """征集: a congress's window in one year for the public and deputies to propose livelihood projects."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not yet open")
        OPEN = "open", _("Open for proposals")
        CLOSED = "closed", _("Closed")

    TRANSITIONS = {Status.DRAFT: {Status.OPEN}, Status.OPEN: {Status.CLOSED}, Status.CLOSED: set()}

    congress = models.ForeignKey(
        "congresses.Congress",
        verbose_name=_("congress"),
        on_delete=models.PROTECT,
        related_name="solicitations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"), validators=[checks.validate_planned_date])
    closes_on = models.DateField(_("closes on"), validators=[checks.validate_planned_date])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        verbose_name = _("solicitation")
        verbose_name_plural = _("solicitations")
        ordering = ["-year", "congress__region_prefix"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "year"], name="one_solicitation_per_congress_and_year"
            ),
            models.CheckConstraint(
                name="solicitation_closes_after_opening",
                condition=models.Q(closes_on__gte=models.F("opens_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Proposal(TransitionsMixin, TimeStampedModel):
    """A project proposed by the public (no account) or by a deputy, screened by staff against the criteria."""

    class Source(models.TextChoices):
        PUBLIC = "public", _("The public")
        DEPUTY = "deputy", _("A deputy")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Passed screening")
        REJECTED = "rejected", _("Did not pass screening")

    class RejectReason(models.TextChoices):
        UNLAWFUL = "unlawful", _("Not lawful or not within the government's duties")
        FEW_BENEFIT = "few_benefit", _("Benefits few people")
        NOT_TARGETED = "not_targeted", _("Not targeted enough")
        NOT_FEASIBLE = "not_feasible", _("Not feasible within the year")
        SEVERAL_MATTERS = "several_matters", _("More than one matter in one item")
        PETITION = "petition", _("Litigation, a petition (信访) or a complaint")
        DUPLICATE = "duplicate", _("Duplicate")

    TRANSITIONS = {
        Status.SUBMITTED: {Status.ACCEPTED, Status.REJECTED},
        Status.ACCEPTED: set(),
        Status.REJECTED: set(),
    }

    solicitation = models.ForeignKey(Solicitation, on_delete=models.CASCADE, related_name="proposals")
    source = models.CharField(_("proposed by"), max_length=10, choices=Source.choices)
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=checks.TEXT)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reject_reason = models.CharField(_("reason"), max_length=20, choices=RejectReason.choices, blank=True)
    screening_note = models.TextField(_("screening note"), blank=True, max_length=checks.NOTE)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at"]
        constraints = [
            checks.length_constraint("description", checks.TEXT, name="proposal_description_max_length"),
            checks.length_constraint(
                "screening_note", checks.NOTE, name="proposal_screening_note_max_length"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Candidate(TimeStampedModel):
    """候选项目: one item of the government's candidate list (more items than seats: 差额)."""

    solicitation = models.ForeignKey(Solicitation, on_delete=models.CASCADE, related_name="candidates")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    number = models.PositiveSmallIntegerField(_("number on the ballot"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=checks.TEXT)
    lead_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="candidate_projects"
    )
    budget = models.DecimalField(_("budget (10,000 yuan)"), max_digits=12, decimal_places=2)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("candidate project")
        verbose_name_plural = _("candidate projects")
        ordering = ["solicitation", "number"]
        constraints = [
            checks.length_constraint("description", checks.TEXT, name="candidate_description_max_length"),
            models.UniqueConstraint(fields=["solicitation", "number"], name="unique_candidate_number"),
            models.CheckConstraint(name="candidate_budget_not_negative", condition=models.Q(budget__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class TieRule(models.TextChoices):
    """A tie at the cut-off (more candidates tied for the last seats than seats left)."""

    FURTHER_BALLOT = "further_ballot", _("A further ballot among the tied candidates")
    LEAVE_EMPTY = "leave_empty", _("Leave the seats empty")


class VoteSession(TransitionsMixin, TimeStampedModel):
    """票决: a secret ballot of a congress's deputies at one of its sessions — choosing projects from the
    candidates (`selection`), a further ballot among tied candidates (`runoff`), or rating chosen projects a
    year later (`satisfaction`)."""

    class Kind(models.TextChoices):
        SELECTION = "selection", _("Choosing the projects")
        RUNOFF = "runoff", _("Further ballot")
        SATISFACTION = "satisfaction", _("Satisfaction vote")

    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        OPEN = "open", _("Voting")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Result published")

    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.CLOSED},
        Status.CLOSED: {Status.PUBLISHED},
        Status.PUBLISHED: set(),
    }

    TieRule = TieRule

    congress = models.ForeignKey(
        "congresses.Congress",
        verbose_name=_("congress"),
        on_delete=models.PROTECT,
        related_name="vote_sessions",
    )
    session = models.ForeignKey(
        "congresses.Session",
        verbose_name=_("congress session"),
        on_delete=models.PROTECT,
        related_name="votes",
    )
    solicitation = models.ForeignKey(Solicitation, on_delete=models.PROTECT, related_name="votes")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SELECTION)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ballot it continues"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="runoffs",
    )
    title = models.CharField(_("title"), max_length=200)
    seats = models.PositiveSmallIntegerField(_("projects to choose (N)"))
    # The congress's rules when the vote was prepared (rules.rules_for); the threshold is the law's, in tally.py.
    quorum = models.CharField(
        _("quorum (share of all deputies present)"),
        max_length=12,
        default="2/3",
        validators=[validate_quorum],
    )
    tie_rule = models.CharField(
        _("a tie for the last seat"), max_length=16, choices=TieRule.choices, default=TieRule.FURTHER_BALLOT
    )
    candidates = models.ManyToManyField(Candidate, related_name="vote_sessions", verbose_name=_("candidates"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    electorate = models.PositiveIntegerField(_("electorate (应到)"), default=0)
    present = models.PositiveIntegerField(_("present (实到)"), default=0)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    presidium_decision = models.TextField(_("presidium's decision"), blank=True, max_length=checks.NOTE)
    shortfall = models.PositiveSmallIntegerField(
        _("seats left to fill (空缺)"),
        default=0,
        help_text=_(
            "Seats this ballot left empty, with no further ballot held for them: a later session may fill them."
        ),
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["-created_at"]
        constraints = [
            checks.length_constraint(
                "presidium_decision", checks.NOTE, name="vote_presidium_decision_max_length"
            )
        ]

    def __str__(self) -> str:
        return self.title


# 实到 (present): an elector checked in, or one who has voted (online or on paper): a ballot handed in or cast
# in the hall is attendance too. The quorum, the close page, the API and the dashboard all count this.
ELECTOR_PRESENT = models.Q(checked_in_at__isnull=False) | models.Q(has_voted=True)


class Elector(models.Model):
    """A deputy of the electorate (应到), checked in (实到) or not, and whether he or she has voted. No time of
    voting and no link to the ballot: that is what keeps the ballot secret."""

    class Channel(models.TextChoices):
        NONE = "", _("Not voted")
        ONLINE = "online", _("On a phone or terminal")
        PAPER = "paper", _("Paper ballot")

    vote = models.ForeignKey(VoteSession, on_delete=models.CASCADE, related_name="electors")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    has_voted = models.BooleanField(_("has voted"), default=False)
    channel = models.CharField(_("how"), max_length=6, choices=Channel.choices, blank=True, default="")

    class Meta:
        verbose_name = _("elector")
        verbose_name_plural = _("electors")
        constraints = [
            models.UniqueConstraint(fields=["vote", "deputy"], name="one_elector_per_deputy_and_vote")
        ]

    def __str__(self) -> str:
        return f"{self.vote_id}:{self.deputy_id}"


class BallotBox(models.Model):
    """The sealed box of an open vote: its key (AES-256), wrapped with the server's FIELD_ENCRYPTION_KEYS. Made
    when the vote opens, destroyed when it closes (ballot_box.py)."""

    vote = models.OneToOneField(VoteSession, primary_key=True, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=400, editable=False)

    class Meta:
        verbose_name = _("ballot box")
        verbose_name_plural = _("ballot boxes")

    def __str__(self) -> str:
        return str(self.vote_id)


class SealedBallot(models.Model):
    """A ballot cast while the vote is open: encrypted with the box key, all of one length; opened, shuffled and
    deleted at closing. `tag` is a keyed hash of the receipt code, so that a voter can check the ballot is in the
    box while the vote is open."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(VoteSession, on_delete=models.CASCADE, related_name="+")
    sealed = models.BinaryField(editable=False)
    tag = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("sealed ballot")
        verbose_name_plural = _("sealed ballots")

    def __str__(self) -> str:
        return str(self.pk)


class Ballot(models.Model):
    """One counted ballot, written at closing in a random order: random key, no time, no voter. Its receipt code
    lets the voter check it was counted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(VoteSession, on_delete=models.PROTECT, related_name="ballots")
    receipt = models.CharField(_("receipt code"), max_length=16, unique=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return self.receipt


class BallotChoice(models.Model):
    """A ballot's mark on one candidate: 赞成 / 反对 / 弃权, or 满意 / 基本满意 / 不满意 in a satisfaction vote."""

    class Choice(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        ABSTAIN = "abstain", _("Abstain")
        SATISFIED = "satisfied", _("Satisfied")
        MOSTLY = "mostly", _("Mostly satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # no casting order
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=12, choices=Choice.choices)

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "candidate"], name="one_choice_per_candidate")
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id}:{self.choice}"


class PaperEntry(models.Model):
    """One staff member's entry of one paper ballot collected in the hall. Two entries by two different staff
    must match before the ballot counts (it then goes into the sealed box). The marks are sealed with the box key,
    so that the order of entry does not keep what the papers said once the box is destroyed."""

    vote = models.ForeignKey(VoteSession, on_delete=models.PROTECT, related_name="paper_entries")
    serial = models.CharField(_("paper ballot number"), max_length=20)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marks = models.BinaryField(_("marks (sealed)"), editable=False)
    counted = models.BooleanField(_("counted"), default=False)

    class Meta:
        verbose_name = _("paper ballot entry")
        verbose_name_plural = _("paper ballot entries")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "serial", "entered_by"], name="one_entry_per_staff_and_paper"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vote_id}:{self.serial}"


class CandidateResult(models.Model):
    """The count of one candidate in one closed vote, and whether it was chosen."""

    class Outcome(models.TextChoices):
        CHOSEN = "chosen", _("Chosen")
        BELOW_THRESHOLD = "below", _("Below the threshold")
        NOT_ENOUGH_VOTES = "outranked", _("Above the threshold but outranked")
        TIED = "tied", _("Tied for the last seat")

    vote = models.ForeignKey(VoteSession, on_delete=models.CASCADE, related_name="results")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="results")
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    abstentions = models.PositiveIntegerField(_("abstain"), default=0)
    satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    mostly = models.PositiveIntegerField(_("mostly satisfied"), default=0)
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"), default=0)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        verbose_name = _("candidate result")
        verbose_name_plural = _("candidate results")
        ordering = ["vote", "rank", "candidate__number"]
        constraints = [models.UniqueConstraint(fields=["vote", "candidate"], name="one_result_per_candidate")]

    def __str__(self) -> str:
        return f"{self.candidate} {self.votes_for}"


class VotingRules(models.Model):
    """A congress's own rules for its votes. Empty fields fall back to settings.MINSHENG["VOTING_RULES"], then to
    the law's defaults in rules.py (quorum 2/3 of all deputies; a tie goes to a further ballot)."""

    congress = models.OneToOneField(
        "congresses.Congress",
        verbose_name=_("congress"),
        on_delete=models.CASCADE,
        related_name="voting_rules",
    )
    quorum = models.CharField(
        _("quorum (share of all deputies present)"),
        max_length=12,
        blank=True,
        validators=[validate_quorum],
        help_text=_("A fraction such as 2/3; empty: the default."),
    )
    tie_rule = models.CharField(
        _("a tie for the last seat"), max_length=16, choices=TieRule.choices, blank=True
    )

    class Meta:
        verbose_name = _("voting rules")
        verbose_name_plural = _("voting rules")

    def __str__(self) -> str:
        return str(self.congress)
