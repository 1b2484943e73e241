"""Word lists and symbol tables, one module per language or domain.

Each module holds data only (no logic) and says where its entries come from, so that
adding a language or a currency is an edit to a table, not to the extractor.
"""
