#!/usr/bin/env python3
"""Docs that name code must name code that exists.

Every `path`, `path:function` and bare `file.c` in backquotes in README.md
and docs/*.md, and every relative link, is checked against the tree: a path under one of the
project's folders must exist, a bare file name must be some tracked file's
name, a function after the colon must be defined (or at least named) in
that file, and `make TARGET` must be a target of the Makefile.  Prints
each stale reference with where it is; exits 1 if there is one.
"""
import os
import re
import subprocess
import sys

TOP = ('arch/', 'kernel/', 'mm/', 'events/', 'smp/', 'include/', 'lib/', 'tests/', 'drivers/',
       'runtime/', 'console/', 'scripts/', 'regress/', 'bench/', 'apps/', 'docs/', '.ci/')
TOP_FILES = ('Makefile', 'minios.lds', 'README.md')
EXT = re.compile(r'\.(c|h|S|sh|py|md|lds|mk|gdb|cmake)$')
# Names in backquotes that look like this tree's paths but name something
# else: xenstore keys, the installed kit's files (under PREFIX), other
# projects' files.  Each entry says what it is.
ELSEWHERE = {
    'console/ring-ref': 'a xenstore key', 'console/port': 'a xenstore key',
    'console/limit': 'a xenstore key',
    'lib/minios/': 'the installed kit', 'lib/minios/minios.mk': 'the installed kit',
    'lib/minios/minios.cmake': 'the installed kit', 'lib/pkgconfig/minios.pc': 'the installed kit',
    'minios.mk': 'the installed kit', '_mallocr.c': "newlib's source",
}
LINK = re.compile(r'\]\((?![a-z]+:)([^)#\s]+)(?:#[^)]*)?\)')
TOKEN = re.compile(r'`([^`\n]+)`')
REF = re.compile(r'^([A-Za-z0-9_.+/-]+?)(?::([A-Za-z_][A-Za-z0-9_]*)(?:\(\))?)?$')


def tracked():
    out = subprocess.run(['git', 'ls-files'], capture_output=True, text=True, check=True).stdout
    return [p for p in out.splitlines() if os.path.exists(p)]


def make_targets():
    text = open('Makefile').read()
    for inc in re.findall(r'^-?include\s+([^$\s]+)$', text, re.M):
        if os.path.exists(inc):
            text += open(inc).read()
    targets = set()
    for m in re.finditer(r'^([A-Za-z0-9_. -]+?)\s*::?(?!=)', text, re.M):
        targets.update(m.group(1).split())
    for m in re.finditer(r'^\.PHONY\s*:(.*)$', text, re.M):
        targets.update(m.group(1).split())
    return targets


def main():
    files = tracked()
    names = {}
    for p in files:
        names.setdefault(os.path.basename(p), []).append(p)
    targets = make_targets()
    docs = ['README.md'] + sorted(p for p in files if p.startswith('docs/') and p.endswith('.md'))
    bad = checked = 0
    for doc in docs:
        in_code = False
        for lineno, line in enumerate(open(doc, encoding='utf-8'), 1):
            if line.startswith('```'):
                in_code = not in_code
                continue
            tokens = [t for t in TOKEN.findall(line)] if not in_code else []
            if in_code and line.startswith('make '):
                tokens = [line.strip()]
            for target in LINK.findall(line) if not in_code else []:
                checked += 1
                if not os.path.exists(os.path.join(os.path.dirname(doc), target)):
                    bad += 1
                    print(f'{doc}:{lineno}: link to {target}: no such file')
            for tok in tokens:
                why = judge(tok.strip(), names, targets)
                if why is None:
                    continue
                checked += 1
                if why:
                    bad += 1
                    print(f'{doc}:{lineno}: `{tok}`: {why}')
    print(f'doc-refs: {checked} references checked, {bad} stale')
    return 1 if bad else 0


def judge(tok, names, targets):
    """None: not a reference to check; '': fine; else what is wrong."""
    if tok.startswith('make ') or tok == 'make':
        words = tok.split()
        if len(words) < 2 or '=' in words[1] or words[1].startswith('-'):
            return ''
        if words[1] in ('all-target-newlib',):  # newlib's own make, not ours
            return ''
        return '' if words[1] in targets else f'no make target "{words[1]}"'
    m = REF.match(tok)
    if not m or tok in ELSEWHERE or tok.startswith('.') and '/' not in tok:
        return None
    path, func = m.group(1), m.group(2)
    if path.startswith(TOP) or path in TOP_FILES:
        path = path.rstrip('/') if path.endswith('/') else path
        if '*' in path or '<' in path:
            return None
        if not os.path.exists(path):
            return 'no such file or folder'
        where = [path]
    elif '/' not in path and EXT.search(path):
        where = names.get(path)
        if not where:
            return 'no tracked file has this name'
    else:
        return None
    if func:
        for p in where:
            if os.path.isfile(p) and re.search(r'\b' + re.escape(func) + r'\b', open(p, errors='replace').read()):
                return ''
        return f'"{func}" is not in {", ".join(where)}'
    return ''


if __name__ == '__main__':
    sys.exit(main())
