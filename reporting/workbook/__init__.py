"""The offline round trip of the quarterly form: an .xlsx made for one agency and quarter, filled in
Excel and uploaded back.

- layout.py: one layout (`workbook_layout`) maps every field of reporting.forms.SubmissionForm to a
  sheet and a cell; the writer and the reader both follow it, so a form error is reported at the
  cell it came from.
- identity.py: the workbook carries its identity (agency, year, quarter, version and a fingerprint
  of the layout), signed with SECRET_KEY, in a very hidden sheet: a workbook for another agency or
  quarter, for an older layout, or with a forged identity is refused.
- build.py: writing the workbook (`workbook_build`).
- read.py: opening the uploaded bytes (`workbook_load`) and reading the input cells.
- forms.py: the upload form.
- imports.py: the upload as one atomic action (`workbook_import`): the cells go through the same
  SubmissionForm validation, then reporting.services.submission_save with the version written into
  the workbook when it was made (a workbook made before someone else's save is a conflict; the
  deadline lock and the history apply as for any edit), and the file is kept for audit
  (`workbook_upload_record`) in the same transaction. Nothing is saved unless the whole file is valid.
"""
