"""What places tell the floors above them. Places know nothing of congresses; a congress named after its place
listens (minsheng/congresses/apps.py) and follows a rename in the same transaction."""

from django.dispatch import Signal

# Sent inside the renaming transaction with `place` (renamed, saved), `old_name` and `actor`. A receiver returns
# True when it changed something of its own (the audit record says so).
place_renamed = Signal()
