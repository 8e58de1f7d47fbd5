"""What notebooks use: the one-import facade for sector notebooks, bilingual display
helpers, the notebook executor, the normaliser and the JupyterLab set-up.

May import from render, plotting and everything below; no library module imports it.
"""
