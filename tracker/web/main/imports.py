"""Imports: upload a spreadsheet, check how its columns map, see per row what the import
will do (the dry run), import it as a job with its progress, undo it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from tracker.access import may_import
from tracker.extensions import db
from tracker.imports.fields import fields_of
from tracker.imports.files import EXTENSIONS, ImportFileError
from tracker.imports.rows import reason_text, what_text
from tracker.imports.runner import counts, create_import, rows_of, start, start_check, undo
from tracker.models import ImportBatch, ImportKind, ImportRow, ImportState, RowOutcome
from tracker.paging import PAGE_SIZES, SortKey, keyset_page, requested_page_size
from tracker.text import page_number
from tracker.web.exports import Column, export_response
from tracker.web.forms import TrackerForm
from tracker.web.kit import done, require
from tracker.web.main import bp

ROWS_PER_PAGE = 100


class UploadImportForm(TrackerForm):
    kind = SelectField(_l("What the file holds"), choices=[])
    file = FileField(_l("File (.xlsx or .csv)"),
                     validators=[FileRequired(message=_l("Choose a file."))])


def _kinds() -> list[ImportKind]:
    return [kind for kind in ImportKind if may_import(current_user, kind)]


def _batch_or_404(import_id: int) -> ImportBatch:
    """One's own imports only: a file's rows are its uploader's papers."""
    batch = db.session.get(ImportBatch, import_id)
    if batch is None or batch.user_id != current_user.id:
        abort(404)
    return batch


def _mapping_form(batch: ImportBatch) -> TrackerForm:
    """A choice of field for each column of the file, preset to the guess or the last
    choice."""
    choices = [("", _("— leave out —"))] + [
        (field.key, str(field.label) + (" *" if field.required else ""))
        for field in fields_of(batch.kind)]

    class MappingForm(TrackerForm):
        pass

    for column, header in enumerate(batch.headers):
        setattr(MappingForm, f"col_{column}", SelectField(
            header or _("Column %(n)d", n=column + 1), choices=choices,
            default=(batch.mapping[column] if column < len(batch.mapping) else "")))
    return MappingForm()


def _chosen(form: TrackerForm, batch: ImportBatch) -> list[str] | None:
    """The mapping the form gives, or None with the reasons on the form."""
    mapping = [form[f"col_{column}"].data or "" for column in range(len(batch.headers))]
    fine = True
    for column, key in enumerate(mapping):
        if key and mapping.index(key) != column:
            form[f"col_{column}"].errors.append(_("Already chosen for another column."))
            fine = False
    for field in fields_of(batch.kind):
        if field.required and field.key not in mapping:
            form.form_errors.append(_("Choose the column that holds %(field)s.",
                                      field=str(field.label)))
            fine = False
    return mapping if fine else None


@bp.route("/imports", methods=["GET", "POST"])
@login_required
def imports() -> Response | str | tuple[str, int]:
    kinds = _kinds()
    require(bool(kinds))
    form = UploadImportForm()
    form.kind.choices = [(kind.value, kind.label) for kind in kinds]
    if request.method == "GET" and request.args.get("kind") in {k.value for k in kinds}:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        upload = form.file.data
        try:
            batch = create_import(current_user, form.kind.data, upload.filename or "",
                                  upload.read())
        except ImportFileError as refused:
            form.file.errors.append(str(refused.message))
        else:
            return done(_("%(file)s is read: %(n)d rows. Check the columns, then try it.",
                          file=batch.filename, n=batch.total),
                        url_for("main.import_detail", import_id=batch.id))
    # The reader's imports newest first, a page at a time (``?per=``), not the latest 50.
    page = keyset_page(sa.select(ImportBatch).where(ImportBatch.user_id == current_user.id),
                       (SortKey(ImportBatch.id, True),), per_page=requested_page_size(),
                       after=request.args.get("after"), before=request.args.get("before"))
    page.sizes = PAGE_SIZES
    status = 422 if form.errors else 200
    return render_template("main/imports.html", form=form, imports=page.items, page=page,
                           extensions=", ".join(f".{e}" for e in EXTENSIONS),
                           kinds=kinds), status


@bp.route("/imports/<int:import_id>")
@login_required
def import_detail(import_id: int) -> str:
    batch = _batch_or_404(import_id)
    return _detail(batch, _mapping_form(batch))


def _detail(batch: ImportBatch, form: TrackerForm, status: int = 200) -> str | tuple:
    state = batch.state_enum
    show = request.args.get("show", "")
    column = ImportRow.checked if state in (ImportState.MAPPING, ImportState.CHECKED) \
        else ImportRow.outcome
    rows_stmt = rows_of(batch)
    if show in {o.value for o in RowOutcome}:
        rows_stmt = rows_stmt.where(column == show)
    page = page_number(request.args.get("page"))
    rows = list(db.session.scalars(rows_stmt.offset((page - 1) * ROWS_PER_PAGE)
                                   .limit(ROWS_PER_PAGE + 1)))
    more = len(rows) > ROWS_PER_PAGE
    checked_counts = counts(batch, "checked")
    outcome_counts = counts(batch, "outcome")
    fields = {f.key: f.label for f in fields_of(batch.kind)}
    first = [row.cells for row in db.session.scalars(rows_of(batch).limit(3))]
    samples = [" · ".join(cells[column] for cells in first if cells[column])
               for column in range(len(batch.headers))]
    page_html = render_template(
        "main/import_detail.html", batch=batch, state=state, form=form, rows=rows[:ROWS_PER_PAGE],
        more=more, page=page, show=show, checked_counts=checked_counts,
        outcome_counts=outcome_counts, fields=fields, samples=samples, reason_text=reason_text,
        what_text=what_text,
        RowOutcome=RowOutcome, ImportState=ImportState,
        stale_check=state == ImportState.CHECKED and batch.checked_mapping != batch.mapping)
    return (page_html, status) if status != 200 else page_html


@bp.route("/imports/<int:import_id>/check", methods=["POST"])
@login_required
def import_check(import_id: int) -> Response | str | tuple:
    batch = _batch_or_404(import_id)
    if batch.state not in (ImportState.MAPPING, ImportState.CHECKED):
        abort(409)
    require(may_import(current_user, batch.kind))
    form = _mapping_form(batch)
    mapping = _chosen(form, batch) if form.validate_on_submit() else None
    if mapping is None:
        return _detail(batch, form, 422)
    start_check(batch, mapping)
    return done(_("Every row is being checked. Nothing is imported yet."),
                url_for("main.import_detail", import_id=batch.id))


@bp.route("/imports/<int:import_id>/start", methods=["POST"])
@login_required
def import_start(import_id: int) -> Response:
    batch = _batch_or_404(import_id)
    require(may_import(current_user, batch.kind))
    form = TrackerForm()
    if not form.validate_on_submit():
        abort(400)
    again = batch.state == ImportState.FAILED
    if not again and (batch.state != ImportState.CHECKED
                      or batch.checked_mapping != batch.mapping):
        abort(409)  # the page offers "Import" only for a checked, unchanged mapping
    start(batch)
    return done(_("The import goes on.") if again else _("The import has started."),
                url_for("main.import_detail", import_id=batch.id))


@bp.route("/imports/<int:import_id>/undo", methods=["POST"])
@login_required
def import_undo(import_id: int) -> Response:
    batch = _batch_or_404(import_id)
    form = TrackerForm()
    if not form.validate_on_submit():
        abort(400)
    if batch.state != ImportState.DONE:
        abort(409)
    undo(batch)
    return done(_("The import is being undone."),
                url_for("main.import_detail", import_id=batch.id))


@bp.route("/imports/template/<kind>")
@login_required
def import_template(kind: str) -> Response:
    """An empty workbook (or CSV) with the headers a file of ``kind`` may have."""
    if kind not in {k.value for k in ImportKind}:
        abort(404)
    require(may_import(current_user, kind))
    columns = [Column(str(field.label), lambda row: "", 18) for field in fields_of(kind)]
    return export_response(f"import-{kind}", ImportKind(kind).label, columns, [])
