"""Run an import."""


def run(rows, sink):
    imported = 0
    for row in rows:
        sink.write(row)
        imported += 1
    return imported
