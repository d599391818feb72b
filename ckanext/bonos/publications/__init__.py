"""Social-bond publications: the `bono` dataset type (schemas/bono.yaml).

validators.py  rules scheming cannot express (period order, threshold)
choices.py     choice lists and labels from the Honduran vocabularies
indexing.py    how a publication is indexed and faceted for search
"""
