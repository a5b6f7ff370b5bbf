"""Pages of cases: the work lists, recording and editing a case, the case page with every step of the workflow,
a unit's inbox, a donor's claims, and — without sign-in — the wish wall and the published answers.

Views translate input and output only: services decide and write (each action of the case page is one service call),
selectors read within the caller's scope (another congress's or unit's case answers 404), and privacy.py alone
decides what of a beneficiary anyone sees. A refused move (TransitionNotAllowed) is shown as a message with
nothing changed (HTTP 409); a refused input is shown on its field (HTTP 400, or 409 for a conflict).

One module per use: `lists.py` (the work lists, queues, inbox, search, claims, co-signings, the priority list,
the "my work" block), `record.py` (recording and editing a case), `detail.py` (the case page and its actions),
`public.py` (the wish wall and the published answers); `_base.py` what they share. `cases/urls.py` imports the
modules.
"""
