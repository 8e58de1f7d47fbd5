"""The offline bilingual HTML site built from the executed notebooks: pages, the source
page, the front page and the notebook-to-page export.

May import from notebook and everything below.
"""
