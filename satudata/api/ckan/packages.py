"""The dataset actions of the CKAN Action API: ``package_search`` and
``package_autocomplete`` (the search engine when it can answer, else the database),
``package_show``, ``package_list``, ``current_package_list_with_resources`` and
``resource_show``. Only published, ``publik`` datasets are visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from satudata import search_limits as limits
from satudata.api.ckan.endpoint import Params, action, capped_rows, invalid, limit_offset
from satudata.api.ckan.query import FACET_FIELDS, parse_fq, parse_sort, split_query
from satudata.api.ckan_dicts import package_dict, resource_dict
from satudata.catalog import services as catalog
from satudata.generations import CATALOG, ProcessCache
from satudata.search import services as search
from satudata.search.backend import SearchUnavailable

DEFAULT_ROWS = 10
DEFAULT_FACET_LIMIT = 50
DEFAULT_SORT = "score desc, metadata_modified desc"

# Dataset dicts this web process keeps until the catalogue changes (satudata/generations.py):
# a search page of 10 datasets costs one small query instead of six and the dicts' building.
# Each is a few kB; the most read are kept. The dicts are shared: callers copy, never change them.
_packages: ProcessCache[tuple[str, str], dict[str, Any]] = ProcessCache(CATALOG, size=2000, objects=True)


def package_dicts(ids: Sequence[str]) -> list[dict[str, Any]]:
    """The CKAN dicts of the public datasets of ``ids``, in order (one no longer public is left
    out); a ``catalog.Loader`` for ``find_public_datasets``."""
    def load(keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        return {("id", ds.id): package_dict(ds) for ds in catalog.load_public([i for _kind, i in keys])}

    found = _packages.get_many([("id", i) for i in ids], load)
    return [found[("id", i)] for i in ids if ("id", i) in found]


@action
def package_search(p: Params) -> dict[str, Any]:
    """Search the public datasets.

    :param q: free text, optionally with ``field:value`` clauses (``*:*`` for all)
    :param fq: filter query: ``organization:``, ``groups:``, ``tags:``, ``res_format:``,
        ``license_id:``, ``name:``, ``id:``, ``owner_org:`` (the organisation's UUID), ``tahun:``,
        ``kode_wilayah:`` (the region the data covers), ``wilayah:`` (the producing government's
        region: ``wilayah:14.07`` is Rokan Hilir's government and its OPD), ``frekuensi:``, ``metadata_modified:[a TO b]`` and
        ``metadata_created`` (ISO 8601, ``*``, or Solr date math such as ``NOW/DAY-1YEAR``);
        the text fields ``title``, ``notes``, ``text``, ``author``, ``maintainer``, ``res_name``,
        ``res_description``, ``res_url``, ``url`` (a value held in the text);
        ``num_resources`` and ``num_tags`` (a number or ``[1 TO *]``); ``extras_<satu data
        field>``; a field no dataset has matches nothing. ``+``/``-``/``NOT``, ``OR``,
        ``"quoted values"``
    :param fq_list: a list of further fq strings, all of which must match
    :param sort: e.g. ``score desc, metadata_modified desc`` (default), ``name asc``,
        ``title_string asc``, ``metadata_created desc``, ``id asc``, ``views_recent desc``
    :param rows: datasets to return (default 10; a larger number than ``API_MAX_ROWS``, 1000,
        is lowered to it, as CKAN's ``ckan.search.rows_max`` does)
    :param fl: the fields of each result (a list, or names separated by commas or spaces), e.g.
        ``name,title`` or ``id metadata_modified``; Satu Data fields and extras by their names.
        Without it each result is the whole dataset dict
    :param start: offset of the first dataset (default 0, at most ``SEARCH_MAX_START``)
    :param facet.field: JSON list of fields to count: organization, groups, tags, res_format,
        license_id, tahun, frekuensi, kode_wilayah (the data's region), wilayah (the producing
        government's region, every level: a kabupaten's OPD count under it and its province)
    :param facet.limit: values per facet (default 50, at most ``SEARCH_MAX_FACET_LIMIT``,
        which -1 means)
    :param facet.mincount: least count a facet value needs (default 1)
    :param include_private: accepted and ignored; private datasets are never shown

    Bounds (``SEARCH_MAX_*`` settings): at most 50 clauses in fq and fq_list together and 4000
    characters of them, 20 values in one ``field:(a OR b)``, 1000 characters and 50 words of q,
    10 facet fields, sort of 200 characters and 5 keys. Past one, a Validation Error names it.

    :rtype: dict with ``count``, ``results``, ``facets``, ``search_facets``, ``sort``
    """
    rows = capped_rows(p, "rows", DEFAULT_ROWS)
    start = p.integer("start", 0) or 0
    fields = _field_list(p)
    q = p.string("q", "") or ""
    fq = p.string("fq", "") or ""
    fq_list = p.string_list("fq_list")
    sort = p.string("sort", DEFAULT_SORT) or DEFAULT_SORT
    facet_fields = p.string_list("facet.field") if p.boolean("facet", True) else []
    facet_limit = p.integer("facet.limit", DEFAULT_FACET_LIMIT, minimum=-1)
    mincount = p.integer("facet.mincount", 1) or 0
    # Every size is checked before anything is parsed or queried (issue #16: 20,000 clauses).
    limit = DEFAULT_ROWS if rows is None else rows
    limits.check_rows(limit)
    limits.check_start(start)
    limits.check_query_text(q)
    limits.check_filter_queries([("fq", fq), *(("fq_list", extra) for extra in fq_list)])
    limits.check_sort(sort)
    facet_limit = limits.check_facets(facet_fields, facet_limit)
    for name in facet_fields:
        if name not in FACET_FIELDS:
            raise invalid("facet.field", f"Facet '{name}' tidak dikenal; pilih dari: {', '.join(FACET_FIELDS)}.")
    text, filters = split_query(q)
    filters += parse_fq(fq)
    for extra in fq_list:
        filters += parse_fq(extra, "fq_list")
    facet_keys = tuple(dict.fromkeys(FACET_FIELDS[f] for f in facet_fields))
    found = search.find_public_datasets(catalog.DatasetQuery(
        text=text, groups=tuple(tuple(group) for group in filters), sort=tuple(parse_sort(sort)), offset=start,
        limit=limit, facets=facet_keys, facet_limit=facet_limit,
    ), package_dicts)
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, dict[str, Any]] = {}
    for name in facet_fields:
        values = [v for v in found.facets[FACET_FIELDS[name]] if v[2] >= mincount]
        facets[name] = {value: count for value, _label, count in values}
        search_facets[name] = {
            "title": name,
            "items": [{"name": value, "display_name": label, "count": count} for value, label, count in values],
        }
    return {
        "count": found.total,
        "facets": facets,
        "results": [_only(package, fields) for package in found.items],
        "sort": sort,
        "search_facets": search_facets,
    }


def _field_list(p: Params) -> list[str]:
    """``fl`` as CKAN reads it (``convert_to_list_if_string``, then Solr's comma or space
    separated field list)."""
    raw = p.data.get("fl")
    if raw is None or raw == "":
        return []
    values = raw if isinstance(raw, list) else [raw]
    fields: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise invalid("fl", "Harus berupa daftar nama kolom, misalnya name,title.")
        fields += [name for name in value.replace(",", " ").split() if name]
    if len(fields) > 100:
        raise invalid("fl", "Paling banyak 100 kolom.")
    return list(dict.fromkeys(fields))


def _only(package: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """A result limited to ``fields``, as CKAN returns an ``fl`` search (its extras read as
    fields of their own; a field the dataset has not is left out)."""
    if not fields:
        return package
    flat = {**{e["key"]: e["value"] for e in package.get("extras", [])}, **package}
    return {name: flat[name] for name in fields if name in flat}


AUTOCOMPLETE_DEFAULT = 10
AUTOCOMPLETE_MAX = 20  # what the engines complete at most; a larger limit is accepted and capped


@action
def package_autocomplete(p: Params) -> list[dict[str, str]]:
    """Public datasets whose title completes the given text (for search boxes).

    Answered by the search engine's title completion (the words typed so far, the last one
    possibly unfinished; abbreviations of the synonym list are understood). While the engine
    is down, the database answers with titles containing the text.

    :param q: the text typed so far (required)
    :param limit: how many datasets (default 10; at most 20 are returned)
    :rtype: list of dicts with ``name``, ``title``, ``match_field`` (``name`` when the text is
        part of the name, else ``title``) and ``match_displayed``
    """
    if p.data.get("q") is None:
        raise invalid("q", "Wajib diisi.")
    raw = p.string("q", "") or ""
    limits.check_suggest_text(raw)
    q = " ".join(raw.split())
    limit = min(p.integer("limit", AUTOCOMPLETE_DEFAULT) or 0, AUTOCOMPLETE_MAX)
    if not limit or not any(ch.isalnum() for ch in q):
        return []
    try:
        found = [(s.slug, s.title) for s in search.suggest_titles(q, limit) if s.slug]
    except SearchUnavailable:
        rows = catalog.query_database(catalog.DatasetQuery(text=q, sort=(("title", False),), limit=limit))
        found = [(ds.slug, ds.title) for ds in rows.items]
    lowered = q.lower()
    as_name = lowered.replace(" ", "-")
    out = []
    for name, title in found:
        # CKAN's rule: the text found in the name shows the name, otherwise "title (name)";
        # typed words are also looked for as the name writes them (joined by hyphens).
        if lowered in name or as_name in name:
            out.append({"name": name, "title": title, "match_field": "name", "match_displayed": name})
        else:
            out.append({"name": name, "title": title, "match_field": "title", "match_displayed": f"{title} ({name})"})
    return out


@action
def package_show(p: Params) -> dict[str, Any]:
    """A public dataset by name (slug) or id.

    :param id: the dataset's name or id (``name_or_id`` is accepted too)
    """
    wanted = p.required("id", "name_or_id")

    def load(key: tuple[str, str]) -> dict[str, Any]:
        return package_dict(catalog.get_public_dataset(key[1]))  # NotFound is not kept

    return cast(dict[str, Any], _packages.get(("show", wanted), load))


@action
def package_list(p: Params) -> list[str]:
    """Names of all public datasets, in name order.

    :param limit: how many names (optional; absent or 0: all, as in CKAN)
    :param offset: skip this many (optional)
    """
    limit, offset = limit_offset(p, default_limit=None, maximum=None)
    return catalog.list_public_dataset_slugs(offset=offset, limit=limit or None)


@action
def current_package_list_with_resources(p: Params) -> list[dict[str, Any]]:
    """Public datasets with their resources, most recently modified first.

    As in CKAN, this is ``package_search`` underneath: without ``limit``, 10 datasets; a
    ``limit`` above ``API_MAX_ROWS`` (1000) is lowered to it.

    :param limit: how many (default 10, at most ``API_MAX_ROWS``)
    :param offset: skip this many
    :param page: the page of ``limit`` datasets (1-based), when no ``offset`` is given
        (deprecated in CKAN)
    """
    limit = capped_rows(p, "limit", DEFAULT_ROWS)
    offset = p.integer("offset", 0) or 0
    page = p.integer("page", None, minimum=1)
    if page is not None and "offset" not in p.data:
        offset = (page - 1) * limit if limit else 0
    limits.check_start(offset, "offset")
    found = search.find_public_datasets(catalog.DatasetQuery(sort=(("modified", True),), offset=offset, limit=limit),
                                        package_dicts)
    return found.items


@action
def resource_show(p: Params) -> dict[str, Any]:
    """A resource of a public dataset, by id.

    :param id: the resource's id
    """
    res = catalog.get_public_resource(p.required("id"))
    return resource_dict(res, res.dataset.slug)
