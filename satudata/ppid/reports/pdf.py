"""The annual report as an A4 PDF in Bahasa Indonesia (reportlab): the summary, two bar charts each
followed by its figures as text (the text alternative a reader without sight gets), the PPIDs'
tables, the objections and disputes, the written parts, and the time taken per request as an
annex. Long tables repeat their header on every page; numbers are written the Indonesian way
("1.234", "6,5") and dates in Indonesian."""

from __future__ import annotations

import io
from collections.abc import Iterable
from html import escape
from typing import Any

from satudata.ppid import deadlines, identity, transitions
from satudata.ppid.reports import (
    NARRATIVE_FIELDS,
    OUTCOMES,
    AnnualReport,
    RequestLine,
    intro,
    number,
    on_time_text,
    per_ppid_columns,
    short_date,
    summary_lines,
    value_text,
)

LAMPIRAN_CHUNK = 150  # rows per table in the annex: each splits across pages cheaply
# Headers of the narrow per-PPID columns, broken where a word would not fit.
NARROW_HEADERS = {"Informasi belum didokumentasikan": "Informasi belum didoku-<br/>mentasikan",
                  "Diperpanjang": "Diper-<br/>panjang"}


def render(report: AnnualReport) -> bytes:
    """The report as an A4 PDF in Bahasa Indonesia: the summary, two bar charts each followed by
    its figures as text, the PPIDs' table, the objections and disputes, the written parts, and
    the time taken per request as an annex. Tables repeat their header on every page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate, Table, TableStyle

    base = ParagraphStyle("base", fontName="Helvetica", fontSize=9, leading=12)
    styles = {
        "title": ParagraphStyle("title", base, fontName="Helvetica-Bold", fontSize=16, leading=20, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", base, fontName="Helvetica-Bold", fontSize=11, leading=14,
                                   spaceAfter=6),
        "h2": ParagraphStyle("h2", base, fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=10,
                             spaceAfter=4),
        "h3": ParagraphStyle("h3", base, fontName="Helvetica-Bold", fontSize=10, leading=13, spaceBefore=6,
                             spaceAfter=2),
        "body": ParagraphStyle("body", base, spaceAfter=4),
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.5),
        "cell": ParagraphStyle("cell", base, fontSize=7.5, leading=9),
        "head": ParagraphStyle("head", base, fontName="Helvetica-Bold", fontSize=7.5, leading=9),
        "narrow": ParagraphStyle("narrow", base, fontName="Helvetica-Bold", fontSize=6.5, leading=8),
    }

    def p(text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text), styles[style])

    def h(text: str, style: str = "h2") -> list[Any]:
        """A heading that never ends a page: what follows it starts on the same page."""
        return [CondPageBreak(30 * mm), p(text, style)]

    grid = [("FONT", (0, 0), (-1, -1), "Helvetica", 7.5), ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7.5),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9AA5B1")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]

    def table(rows: list[list[Any]], widths: list[float], numeric_from: int | None = None,
              extra: Iterable[tuple[Any, ...]] = ()) -> Table:
        style = list(grid)
        if numeric_from is not None:
            style.append(("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"))
        t = Table(rows, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([*style, *extra]))
        return t

    story: list[Any] = [
        p(f"Laporan Tahunan Layanan Informasi Publik {report.year}", "title"),
        p(report.scope, "subtitle"),
        p("Angka menurut Pasal 12 Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik dan "
          "laporan layanan informasi publik menurut Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang "
          "Standar Layanan Informasi Publik."),
        *[p(line) for line in intro(report)],
        p("Bagian A. Ringkasan angka", "h2"),
    ]
    f = report.figures
    rows: list[list[Any]] = [[p("Uraian", "head"), p("Jumlah", "head")]]
    extra: list[tuple[Any, ...]] = []
    for line in summary_lines(report):
        if line.kind == "section":
            extra += [("SPAN", (0, len(rows)), (1, len(rows))),
                      ("BACKGROUND", (0, len(rows)), (1, len(rows)), colors.HexColor("#F1F5F9"))]
            rows.append([p(line.label, "head"), ""])
        else:
            rows.append([Paragraph("&nbsp;" * 4 * line.indent + escape(line.label), styles["cell"]),
                         value_text(line)])
    story.append(table(rows, [140 * mm, 30 * mm], numeric_from=1, extra=extra))

    outcome_labels = [transitions.STATE_LABELS[s] for s in OUTCOMES] + ["Masih diproses"]
    outcome_values = [f.outcome(s) for s in OUTCOMES] + [f.stats.open]
    story += [CondPageBreak(95 * mm), p("Grafik 1. Hasil permohonan", "h3"),
              _bar_chart(outcome_labels, outcome_values, horizontal=True),
              p("Teks alternatif grafik 1 (jumlah permohonan menurut hasil): "
                + "; ".join(f"{label} {number(v)}" for label, v in zip(outcome_labels, outcome_values, strict=True))
                + ".", "small")]
    months = [m[:3] for m in deadlines.MONTH_NAMES]
    story += [CondPageBreak(80 * mm), p("Grafik 2. Permohonan diterima per bulan", "h3"),
              _bar_chart(months, f.by_month, horizontal=False),
              p("Teks alternatif grafik 2 (permohonan diterima per bulan): "
                + "; ".join(f"{name} {number(v)}" for name, v in zip(deadlines.MONTH_NAMES, f.by_month, strict=True))
                + ".", "small")]

    if report.organization is None:
        story += h("Bagian B. Menurut PPID")
        columns = per_ppid_columns()
        everyone = [*report.per_ppid, f]
        bold_last = [("FONT", (0, len(everyone)), (-1, len(everyone)), "Helvetica-Bold", 7.5)]
        # Two tables, so that each column is wide enough to read on a portrait page.
        for part, (first, last) in (("Hasil permohonan", (1, 10)), ("Waktu layanan, keberatan dan sengketa",
                                                                    (10, len(columns)))):
            chosen = columns[first:last]
            rows = [[p("PPID", "narrow"), *[Paragraph(NARROW_HEADERS.get(title, escape(title)), styles["narrow"])
                                            for title, _ in chosen]]]
            for figures in everyone:
                cells: list[Any] = [p(figures.name, "cell")]
                for title, value in chosen:
                    got = value(figures)
                    cells.append(f"{number(got, 1)}%" if "%" in title and got is not None
                                 else number(got, 1 if "hari" in title else 0))
                rows.append(cells)
            story += h(f"{part} menurut PPID", "h3")
            story.append(table(rows, [174 * mm - 16 * mm * len(chosen)] + [16 * mm] * len(chosen),
                               numeric_from=1, extra=bold_last))
        story.append(p("Tepat waktu: persentase permohonan yang diputus paling lambat pada batas waktunya. "
                       "Terlambat: diputus sesudah batas waktu, atau masih diproses dan batasnya sudah lewat.",
                       "small"))

    story += h(f"Bagian {'C' if report.organization is None else 'B'}. Keberatan dan sengketa informasi")
    if report.objections:
        rows = [[p(t, "head") for t in ("Nomor keberatan", "Nomor permohonan", "Didaftarkan", "Ditanggapi",
                                         "Hari kerja", "Alasan", "Hasil", "Sengketa (Komisi Informasi)")]]
        for o in report.objections:
            dispute = f"{escape(o.dispute_number)}<br/>{short_date(o.dispute_filed_on)}" if o.dispute_number else "–"
            rows.append([o.number, o.request_number, short_date(o.registered_on), short_date(o.decided_on),
                         number(o.working_days), ", ".join(o.grounds), p(o.outcome, "cell"),
                         Paragraph(dispute, styles["cell"])])
        story.append(table(rows, [30 * mm, 27 * mm, 17 * mm, 17 * mm, 11 * mm, 12 * mm, 28 * mm, 28 * mm]))
        story.append(p("Alasan keberatan menurut Pasal 35 ayat 1: " + "; ".join(
            f"{letter}. {text}" for letter, text in transitions.GROUNDS.items()) + ".", "small"))
    else:
        story.append(p("Tidak ada keberatan yang didaftarkan pada tahun ini."))

    story += h(f"Bagian {'D' if report.organization is None else 'C'}. Laporan layanan informasi publik "
               "(Perki SLIP 1/2021)")
    story.append(p("Angka permohonan, keberatan dan sengketa ada pada bagian sebelumnya. Bagian tertulis di bawah "
                   "ini diisi oleh masing-masing PPID."))
    if not report.narratives:
        story.append(p("Bagian tertulis laporan layanan (kebijakan, sumber daya, anggaran, kendala, rekomendasi) "
                       "belum diisi oleh PPID."))
    for name, narrative in report.narratives:
        if report.organization is None:
            story += h(name, "h3")
        for key, title, _ in NARRATIVE_FIELDS:
            value = identity.mask_numbers(getattr(narrative, key) or "").strip() or "–"
            story.append(KeepTogether([p(title, "h3" if report.organization is not None else "head"),
                                       Paragraph(escape(value).replace("\n", "<br/>"), styles["body"])]))

    story += h("Lampiran. Waktu layanan per permohonan")
    story.append(p("Setiap permohonan tanpa identitas pemohon: nomor pendaftaran, tanggal diterima dan diputus, hari "
                   "kerja sampai pemberitahuan tertulis, dan hasilnya. Pasal 17: huruf pengecualian penolakan atau "
                   "bagian yang dihitamkan. Lewat batas: belum dijawab, dan batas waktunya sudah lewat."))
    groups: dict[str, list[RequestLine]] = {}
    for r in report.requests:
        groups.setdefault(r.ppid, []).append(r)
    if not report.requests:
        story.append(p("Belum ada permohonan pada tahun ini."))
    header = [p(t, "head") for t in ("Nomor pendaftaran", "Diterima", "Batas waktu", "Diputus", "Hari kerja",
                                     "Hasil", "Tepat waktu", "Pasal 17")]
    widths = [32 * mm, 18 * mm, 18 * mm, 18 * mm, 11 * mm, 45 * mm, 18 * mm, 14 * mm]
    order = {figures.name: i for i, figures in enumerate(report.per_ppid)}
    for name in sorted(groups, key=lambda n: (order.get(n, len(order)), n)):
        lines = groups[name]
        story += h(f"{name} ({number(len(lines))} permohonan)", "h3")
        for start in range(0, len(lines), LAMPIRAN_CHUNK):
            rows = [header]
            rows += [[r.number, short_date(r.received_on), short_date(r.due_on), short_date(r.decided_on),
                      number(r.working_days), r.outcome, on_time_text(r), ", ".join(r.exemptions) or "–"]
                     for r in lines[start:start + LAMPIRAN_CHUNK]]
            story.append(table(rows, widths, extra=[("ALIGN", (4, 1), (4, -1), "RIGHT")]))

    title = f"Laporan Tahunan Layanan Informasi Publik {report.year} — {report.scope}"

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.HexColor("#4B5563"))
        canvas.drawString(18 * mm, 10 * mm, title[:120])
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Halaman {doc.page}")
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=title, author=report.site,
                            subject="UU 14/2008 Pasal 12; Perki SLIP 1/2021", lang="id-ID", displayDocTitle=True,
                            creator=report.site)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _bar_chart(labels: list[str], values: list[int], *, horizontal: bool) -> Any:
    """A bar chart of counts with Indonesian numbers on the axis and the bars."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    top = max([*values, 1])
    step = max(1, -(-top // 5))
    width, height = 170 * mm, (62 if horizontal else 52) * mm
    drawing = Drawing(width, height)
    chart: Any = HorizontalBarChart() if horizontal else VerticalBarChart()
    chart.x, chart.y = (150, 18) if horizontal else (30, 20)
    chart.width, chart.height = width - chart.x - 20, height - chart.y - 10
    chart.data = [tuple(values)]
    chart.bars[0].fillColor = colors.HexColor("#1F6FB2")
    chart.bars.strokeColor = None
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, step * -(-top // step), step
    chart.valueAxis.labelTextFormat = lambda v: number(v)
    chart.valueAxis.labels.fontName = chart.categoryAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.categoryNames = labels
    if horizontal:
        chart.categoryAxis.reverseDirection = 1  # the first outcome on top
        chart.categoryAxis.labels.boxAnchor = "e"
    chart.barLabelFormat = lambda v: number(v)
    chart.barLabels.fontName, chart.barLabels.fontSize = "Helvetica", 7
    chart.barLabels.nudge = 7
    drawing.add(chart)
    return drawing
