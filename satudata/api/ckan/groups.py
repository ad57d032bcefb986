"""The actions of the CKAN Action API on what datasets are filed under: organisations (OPD and
regional governments), groups (the topics, tema), tags and licences.
"""

from __future__ import annotations

from typing import Any

from satudata import search_limits as limits
from satudata.accounts import services as accounts
from satudata.accounts.models import Organization
from satudata.api.ckan.endpoint import Params, action, invalid, limit_offset, max_rows
from satudata.api.ckan_dicts import group_dict, licence_dict, organization_dict, package_dict, tag_dict
from satudata.catalog import services as catalog
from satudata.catalog.models import Topic
from satudata.catalog.services import Clause
from satudata.errors import NotFound
from satudata.search import services as search

# --------------------------------------------------------------------------- lookups


def _find_organization(key: str) -> Organization:
    for org in accounts.list_organizations():
        if key in (org.slug, org.uuid, str(org.id)):
            return org
    raise NotFound(f"Organisasi '{key}' tidak ditemukan.")


def _find_topic(key: str) -> Topic:
    for topic in catalog.list_topics():
        if key in (topic.slug, topic.uuid, str(topic.id)):
            return topic
    raise NotFound(f"Grup (topik) '{key}' tidak ditemukan.")


def _datasets_of(clause: Clause) -> list[dict[str, Any]]:
    found = search.find_public_datasets(catalog.DatasetQuery(groups=((clause,),), sort=(("title", False),),
                                                             limit=max_rows()))
    return [package_dict(ds) for ds in found.items]


def _sort_list(p: Params, items: list[dict[str, Any]], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Sort organisation or group dicts by CKAN's ``sort`` (``name asc``, ``package_count desc``)."""
    sort = p.string("sort", "title asc", max_chars=limits.current().sort_chars) or "title asc"
    words = sort.split()
    field, direction = (words[0] if words else "name"), (words[1].lower() if len(words) > 1 else "asc")
    if field == "packages":
        field = "package_count"
    if field not in fields or direction not in ("asc", "desc") or len(words) > 2:
        raise invalid("sort", f"Pilih salah satu kolom: {', '.join(fields)}, lalu asc atau desc.")
    return sorted(items, key=lambda d: (d[field].lower() if isinstance(d[field], str) else d[field], d["name"]),
                  reverse=direction == "desc")


# --------------------------------------------------------------------------- actions


@action
def organization_list(p: Params) -> list[Any]:
    """The organisations (OPD and regional governments): names, or dicts with ``all_fields``.

    :param all_fields: return dicts with ``package_count`` instead of names
    :param sort: ``title asc`` (default, as CKAN 2.10), ``name``, ``package_count``, with asc/desc
    :param limit: how many (optional); :param offset: skip this many
    :param organizations: only these names (a list)
    :param q: only those whose name or title contains this text
    """
    all_fields = p.boolean("all_fields")
    limit, offset = limit_offset(p, default_limit=None, maximum=max_rows())
    wanted = set(p.string_list("organizations"))
    q = (p.string("q", "", max_chars=limits.current().query_chars) or "").strip().lower()
    counts = catalog.organization_counts()
    orgs = [o for o in accounts.list_organizations()
            if (not wanted or o.slug in wanted) and (not q or q in o.slug.lower() or q in o.name.lower())]
    dicts = _sort_list(p, [organization_dict(o, package_count=counts.get(o.id, 0)) for o in orgs],
                       ("name", "title", "package_count"))
    page = dicts[offset:] if limit is None else dicts[offset:offset + limit]
    return page if all_fields else [d["name"] for d in page]


@action
def organization_show(p: Params) -> dict[str, Any]:
    """One organisation by name (slug) or id.

    :param id: the organisation's name or id
    :param include_datasets: add its public datasets as ``packages`` (default false)
    """
    org = _find_organization(p.required("id"))
    include = p.boolean("include_datasets")
    out = organization_dict(org, package_count=catalog.organization_counts().get(org.id, 0), full=True)
    if include:
        out["packages"] = _datasets_of(Clause("organization", (org.slug,)))
    return out


@action
def group_list(p: Params) -> list[Any]:
    """The topics (tema) as CKAN groups: names, or dicts with ``all_fields``.

    :param all_fields: return dicts with ``package_count`` instead of names
    :param sort: ``title asc`` (default, as CKAN 2.10), ``name``, ``package_count``, with asc/desc
    :param limit: how many (optional); :param offset: skip this many
    :param groups: only these names (a list)
    """
    all_fields = p.boolean("all_fields")
    limit, offset = limit_offset(p, default_limit=None, maximum=max_rows())
    wanted = set(p.string_list("groups"))
    counts = catalog.topic_counts()
    topics = [t for t in catalog.list_topics() if not wanted or t.slug in wanted]
    dicts = _sort_list(p, [group_dict(t, package_count=counts.get(t.id, 0)) for t in topics],
                       ("name", "title", "package_count"))
    page = dicts[offset:] if limit is None else dicts[offset:offset + limit]
    return page if all_fields else [d["name"] for d in page]


@action
def group_show(p: Params) -> dict[str, Any]:
    """One topic (CKAN group) by name (slug) or id.

    :param id: the group's name or id
    :param include_datasets: add its public datasets as ``packages`` (default false)
    """
    topic = _find_topic(p.required("id"))
    include = p.boolean("include_datasets")
    out = group_dict(topic, package_count=catalog.topic_counts().get(topic.id, 0), full=True)
    if include:
        out["packages"] = _datasets_of(Clause("topic", (topic.slug,)))
    return out


@action
def tag_list(p: Params) -> list[Any]:
    """The tags of public datasets: names, or dicts with ``all_fields``.

    :param query: only tags containing this text
    :param all_fields: return tag dicts instead of names
    :param vocabulary_id: tags of a vocabulary; there are none here, so any id is not found
    """
    vocabulary = p.string("vocabulary_id")
    if vocabulary:
        raise NotFound(f"Kosakata tag '{vocabulary}' tidak ditemukan.")
    query = p.string("query", "", max_chars=limits.current().query_chars) or ""
    tags = catalog.list_public_tags(query)
    if p.boolean("all_fields"):
        return [tag_dict(tag) for tag, _n in tags]
    return [tag.name for tag, _n in tags]


@action
def license_list(p: Params) -> list[dict[str, Any]]:
    """The licences datasets here may carry."""
    return [licence_dict(lic) for lic in catalog.list_licences()]
