"""kg: a knowledge graph of actors, agreements and locations built from news.

Data flows one way: article -> clean text -> mentions -> resolved entities ->
facts with evidence -> graph -> store / export -> query.
"""
__version__ = "0.1.0"
