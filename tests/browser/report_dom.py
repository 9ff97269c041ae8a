#!/usr/bin/env python3
"""Helpers of tests/browser/report_chromium.sh (issue #7): fixtures and DOM checks.

  escape-input FILE        two copies of a text holding <script> (must show as text)
  fixture OUTDIR           checks that the dedup output has the FT cluster {000, 002, 003} and 002's
                           related-news block (lines 26-46) removed, as the pipeline made them
  many-clusters OUTDIR     a synthetic output folder with 120 clusters (for paging)
  check DOM [--js]         checks a DOM dumped by Chromium
  check-page DOM N         checks that page N of the many-clusters report was rendered
  png FILE WIDTH HEIGHT    checks that FILE is a PNG of that size
Exits 1 with a message on the first failed check.
"""
import html.parser
import json
import os
import struct
import sys

FT = ["000_db1a90299435d6ce", "002_dc91764ec0d952e3", "003_86487315b332e9d4"]
RELATED = (26, 46)
ESCAPE_TEXT = ('Breaking: <script>alert("xss")</script> and </script><!-- a "quoted" & \'single\' story about '
               'markup in scraped pages, copied word for word by a second site today.')
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")


def escape_input(path):
    write_jsonl(path, [{"id": "esc-1", "text": ESCAPE_TEXT}, {"id": "esc-2", "text": ESCAPE_TEXT}])


def seed_lines(outdir, doc_id):
    report = json.load(open(os.path.join(outdir, "report.json"), encoding="utf-8"))
    for path in report["input"]["paths"]:
        candidate = os.path.join(path, doc_id + ".txt")
        if os.path.isfile(candidate):
            text = open(candidate, encoding="utf-8-sig").read()
            return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fail("seed %s not found among the inputs" % doc_id)


def fixture(outdir):
    decisions = read_jsonl(os.path.join(outdir, "decisions.jsonl"))
    by_id = {row["id"]: row for row in decisions}

    members = {}
    for row in decisions:
        if row["cluster"] is not None:
            members.setdefault(row["cluster"], []).append(row["id"])
    if any(sorted(ids) == FT for ids in members.values()):
        print("fixture: the pipeline found the FT cluster itself")
    else:
        fail("story mode did not find the FT cluster %s (it found %s)" % (FT, sorted(members.values())))

    lines = seed_lines(outdir, FT[1])
    related = by_id[FT[1]]
    covered = set()
    for span in related["removed"]:
        covered.update(range(span["first_line"], span["last_line"] + 1))
    needed = {n for n in range(RELATED[0], RELATED[1] + 1) if lines[n - 1].strip()}
    if needed <= covered:
        print("fixture: the clean stage removed 002's related-news block itself: %s" % related["removed"])
    else:
        fail("the clean stage did not remove 002's related-news block (it removed %s)" % related["removed"])

def many_clusters(outdir):
    os.makedirs(outdir, exist_ok=True)
    decisions, clusters, cleaned = [], [], []
    for c in range(120):
        rep, dup = "c%03d-a" % c, "c%03d-b" % c
        decisions.append({"id": rep, "source": "gone:1", "decision": "kept", "cluster": c, "duplicate_of": None,
                          "similarity": None, "reason": None, "detail": None, "removed": []})
        decisions.append({"id": dup, "source": "gone:2", "decision": "duplicate", "cluster": c,
                          "duplicate_of": rep, "similarity": 0.9, "reason": None, "detail": None, "removed": []})
        clusters.append({"cluster": c, "representative": rep, "docs": [rep, dup], "min_similarity": 0.9})
        cleaned.append({"id": rep, "text": "Story number %d, told once." % c})
    write_jsonl(os.path.join(outdir, "decisions.jsonl"), decisions)
    write_jsonl(os.path.join(outdir, "clusters.jsonl"), clusters)
    write_jsonl(os.path.join(outdir, "cleaned.jsonl"), cleaned)
    with open(os.path.join(outdir, "report.json"), "w", encoding="utf-8") as f:
        json.dump({"counts": {"read": 240}, "input": {"paths": [], "text_field": "text", "id_field": "id"}}, f)


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.walk()

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class TreeBuilder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(path):
    builder = TreeBuilder()
    builder.feed(open(path, encoding="utf-8").read())
    return builder.root


def check(path, js):
    root = parse(path)
    nodes = list(root.walk())
    sections = [n for n in nodes if n.tag == "section" and "cluster" in n.classes()]
    if not sections:
        fail("no cluster section in the DOM")
    ft = None
    for section in sections:
        ids = [n.attrs.get("data-id") for n in section.walk() if n.tag == "article"]
        if sorted(ids) == FT:
            ft = section
    if ft is None:
        fail("no cluster with exactly the three FT documents %s" % FT)
    articles = {n.attrs["data-id"]: n for n in ft.walk() if n.tag == "article"}
    print("ok: FT cluster %s with %s" % (ft.attrs.get("data-cluster"), list(articles)))
    if "rep" not in articles[FT[0]].classes():
        fail("000 is not shown as the representative")
    for doc_id, article in articles.items():
        if article.attrs.get("dir") != "rtl":
            fail("%s is not right-to-left: dir=%r" % (doc_id, article.attrs.get("dir")))
        title = [n for n in article.walk() if n.tag == "h3"]
        if not title or not title[0].text().strip():
            fail("%s has no title" % doc_id)
    if not any("similarity" in n.text() for n in articles[FT[1]].walk() if n.tag == "span"):
        fail("002 does not show its similarity to the representative")

    lines = {int(n.attrs["data-line"]): n for n in articles[FT[1]].walk()
             if n.tag == "div" and "line" in n.classes() and "data-line" in n.attrs}
    if any(n.attrs.get("dir") != "auto" for n in lines.values()):
        fail("a line of 002 has no dir=auto")
    reasons = set()
    for number in range(RELATED[0], RELATED[1] + 1):
        line = lines.get(number)
        if line is None:
            fail("002 line %d is not in the DOM" % number)
        struck = [a for a in line.ancestors() if a.tag == "del" and "removed" in a.classes()]
        if line.text().strip() and not struck:
            fail("002 line %d (%r) is not inside a struck-through <del class=removed>" % (number, line.text()[:40]))
        for d in struck:
            reason = d.attrs.get("data-reason", "")
            label = [n.text() for n in d.children if isinstance(n, Node) and "reason" in n.classes()]
            if not reason or not label or reason not in label[0]:
                fail("the <del> around 002 line %d does not show its reason" % number)
            reasons.add(reason)
    if "أخبار ذات صلة" not in lines[26].text():
        fail("002 line 26 is not the related-news heading: %r" % lines[26].text())
    if any(a.tag == "del" for a in lines[3].ancestors()):
        fail("002 line 3 (content) is struck through")
    style = "".join(n.text() for n in nodes if n.tag == "style")
    if "del.removed{display:block;text-decoration:line-through" not in style:
        fail("del.removed is not styled line-through")
    print("ok: 002 lines %d-%d struck through (<del>), reason %s" % (RELATED[0], RELATED[1], sorted(reasons)))

    escaped = [n for n in nodes if n.tag == "article" and n.attrs.get("data-id") in ("esc-1", "esc-2")]
    if not escaped:
        fail("the escape fixture documents are not shown")
    for article in escaped:
        if '<script>alert("xss")</script> and </script><!-- a "quoted" & \'single\'' not in article.text():
            fail("%s does not show its markup as text" % article.attrs["data-id"])
        if article.attrs.get("dir") != "ltr":
            fail("%s is not left-to-right" % article.attrs["data-id"])
    scripts = [n for n in nodes if n.tag == "script"]
    if len(scripts) != 2 or any(a.tag == "main" for s in scripts for a in s.ancestors()):
        fail("expected exactly the two page scripts, found %d script elements" % len(scripts))
    print("ok: <script> in document text shown as text; %d script elements" % len(scripts))

    if len([n for n in nodes if n.tag == "svg"]) != 2:
        fail("expected two charts")
    captions = [n.text() for n in nodes if n.tag == "caption"]
    if "Documents" not in captions or "Boilerplate lines removed, by reason" not in captions:
        fail("summary tables missing: %s" % captions)
    note = [n for n in nodes if n.attrs.get("id") == "static-note"]
    labels = [n.text() for n in nodes if "pager-label" in n.classes()]
    if js:
        if not note or "hidden" not in note[0].attrs or not labels or not labels[0].startswith("Page 1 of 1"):
            fail("the script did not render the page (pager %s)" % labels)
        print("ok: rendered by the page's script: %s" % labels[0])
    else:
        if not note or "hidden" in note[0].attrs or any(labels):
            fail("the no-JS page should show the static note and no pager")
        print("ok: static first page without JavaScript")


def check_page(path, page):
    root = parse(path)
    shown = sorted(int(n.attrs["data-cluster"]) for n in root.walk() if n.tag == "section" and "data-cluster" in n.attrs)
    expected = list(range(50 * (page - 1), min(50 * page, 120)))
    if shown != expected:
        fail("page %d shows clusters %s, expected %s" % (page, shown[:5], expected[:5]))
    labels = [n.text() for n in root.walk() if "pager-label" in n.classes()]
    if not labels or not labels[0].startswith("Page %d of 3" % page):
        fail("pager label %s" % labels)
    print("ok: %s" % labels[0])


def check_png(path, width, height):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        fail("%s is not a PNG" % path)
    w, h = struct.unpack(">II", head[16:24])
    if (w, h) != (width, height):
        fail("screenshot is %dx%d, expected %dx%d" % (w, h, width, height))
    if os.path.getsize(path) < 20000:
        fail("screenshot is suspiciously small (%d bytes)" % os.path.getsize(path))
    print("ok: screenshot %dx%d, %d bytes" % (w, h, os.path.getsize(path)))


def main(argv):
    command = argv[1] if len(argv) > 1 else ""
    if command == "escape-input":
        escape_input(argv[2])
    elif command == "fixture":
        fixture(argv[2])
    elif command == "many-clusters":
        many_clusters(argv[2])
    elif command == "check":
        check(argv[2], "--js" in argv[3:])
    elif command == "check-page":
        check_page(argv[2], int(argv[3]))
    elif command == "png":
        check_png(argv[2], int(argv[3]), int(argv[4]))
    else:
        fail("usage: see the docstring of " + argv[0])


if __name__ == "__main__":
    main(sys.argv)
