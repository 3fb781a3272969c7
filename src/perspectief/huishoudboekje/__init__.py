"""Huishoudboekje: budget management through the municipal intermediate account.

Bank statements come in, are booked on a double-entry ledger with a sub-account per
household, matched to agreements (afspraken), and fixed costs and leefgeld go out as SEPA
payment batches approved by a second person. See docs/huishoudboekje.md.
"""
