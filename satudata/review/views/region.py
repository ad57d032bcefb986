"""Read-only answers about a walidata's region for the workspace pages: how many of its
datasets are in each state, which ones, and its organisations (for the queue's OPD filter).

The region is ``review.regions.review_scope``: the same one the review queue reads, so the
counts on "Kelola data" and the queue never disagree. Harvested datasets are left out, as in
the producer's "Dataset saya": they never pass through the walidata's review.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, true
from sqlalchemy.orm import selectinload

from satudata.accounts.models import Organization
from satudata.authz import Actor
from satudata.catalog.models import Dataset, DatasetState
from satudata.extensions import db
from satudata.review.regions import review_scope


def _in_region(actor: Actor) -> Any:
    scope = review_scope(actor)
    if scope is None:
        return true()
    ids = sorted(scope) or [-1]
    return Dataset.organization_id.in_(ids) | Dataset.walidata_id.in_(ids)


def region_counts(actor: Actor) -> dict[str, int]:
    """How many of the region's datasets are in each state (every state present, 0 when none)."""
    rows = db.session.execute(
        select(Dataset.state, func.count()).where(_in_region(actor), Dataset.harvest_source_id.is_(None))
        .group_by(Dataset.state)).all()
    counts = {str(s): 0 for s in DatasetState}
    counts.update({str(state): n for state, n in rows})
    return counts


def region_datasets(actor: Actor, state: DatasetState) -> list[Dataset]:
    """The region's datasets in ``state``, most recently changed first."""
    q = (select(Dataset).where(_in_region(actor), Dataset.harvest_source_id.is_(None), Dataset.state == state)
         .options(selectinload(Dataset.organization), selectinload(Dataset.topics))
         .order_by(Dataset.updated_at.desc(), Dataset.title))
    return list(db.session.scalars(q))


def region_organizations(actor: Actor) -> list[Organization]:
    """The organisations of the region that produce data (OPD first by name), for the filters."""
    scope = review_scope(actor)
    q = select(Organization).order_by(Organization.name)
    if scope is not None:
        q = q.where(Organization.id.in_(sorted(scope) or [-1]))
    return list(db.session.scalars(q))
