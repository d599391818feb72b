"""The DCAT-AP catalogue national portals harvest (with ckanext-dcat).

profile.py  DCAT-AP 3 plus what a bono publication has that DCAT-AP has a
            place for; only valid files, only public active publications
nacional.py the parsing side for a national portal with datos.gob.hn's schema
terms.py    the vocabularies both sides share (frequencies, themes)
views.py    /bono/<name>.ttl|rdf|jsonld and the Table Schemas files conform to
"""
