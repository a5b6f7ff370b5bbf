# Run at commit 636d5ad (before the house moves): receptions were stations.Reception then.
"""Adds receptions (with encrypted visitor contacts, deputies, some linked to cases, some referred) to a bench
database, with the code of before the house move: the data the receptions' migration must carry over."""

import datetime as dt
import os
import random
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings.dev")
django.setup()
from django.db import transaction  # noqa: E402  (after django.setup())
from django.utils import timezone  # noqa: E402

from minsheng.accounts.models import User  # noqa: E402
from minsheng.cases.models import Case  # noqa: E402
from minsheng.stations.models import Reception, StationDeputy  # noqa: E402
from minsheng.units.models import Unit  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
rng = random.Random(20261202)
t0 = time.time()
links = list(StationDeputy.objects.values_list("station_id", "deputy_id"))
by_station = {}
for s, d in links:
    by_station.setdefault(s, []).append(d)
stations = list(by_station)
units = list(Unit.objects.values_list("id", flat=True)[:2000])
staff = User.objects.filter(role="congress_staff").values_list("id", flat=True).first()
case_ids = list(Case.objects.order_by("id").values_list("id", flat=True)[:20000])
cats = [c for c, _ in Reception.Category.choices]
with transaction.atomic():
    rows, m2m = [], []
    base = timezone.now() - dt.timedelta(days=700)
    for i in range(N):
        st = rng.choice(stations)
        outcome = rng.choice(["answered", "referred", "case", "none"])
        rows.append(
            Reception(
                station_id=st,
                received_at=base + dt.timedelta(minutes=rng.randrange(700 * 24 * 60)),
                visitor_count=rng.randint(1, 5),
                contact_name=f"访客{i}",
                contact_phone=f"139{i:08d}"[:11],
                matter=f"反映事项 {i}",
                category=rng.choice(cats),
                outcome=outcome,
                referred_to_id=rng.choice(units) if outcome == "referred" else None,
                case_id=rng.choice(case_ids) if outcome == "case" else None,
                recorded_by_id=staff,
            )
        )
    Reception.objects.bulk_create(rows, batch_size=5000)
    Through = Reception.deputies.through
    for r in rows:
        ds = by_station[r.station_id]
        for d in rng.sample(ds, min(len(ds), rng.randint(1, 3))):
            m2m.append(Through(reception_id=r.pk, deputy_id=d))
    Through.objects.bulk_create(m2m, batch_size=10000)
print(f"{N} receptions, {len(m2m)} deputy links in {time.time() - t0:.1f} s")
