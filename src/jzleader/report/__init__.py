"""Reporters: text (rich), JSON, the report workbook, the annotated copy and the blank form.
They format decisions that come in as data; no decision is made here."""
