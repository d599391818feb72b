"""A second CKAN process that reads the citizen figures as a web worker would:
one fresh transaction per read, through the Redis cache. Driven over its
standard input and output by tests/citizen/test_bookkeeping.py: each line
``read`` is answered by one JSON line, the national figures it got.

    python tests/citizen/reader_process.py test.ini
"""
import json
import sys


def main(ini: str) -> None:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    make_app(load_config(ini))      # plugins, configuration, database, Redis
    from ckan import model
    from ckanext.bonos.citizen import figures
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() != "read":
            break
        model.Session.remove()
        try:
            answer = [[p.programa, p.latest.periodo, p.latest.hogares]
                      for p in figures.national()]
        finally:
            model.Session.remove()
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
