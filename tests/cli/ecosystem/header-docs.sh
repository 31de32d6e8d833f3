#!/bin/sh
# Every declaration in the public headers carries a doc comment: each
# TESTR_API declaration, typedef, struct and enum is directly preceded by a
# comment (or, for a struct/enum field list, documented inside).  And
# string lists need no casts: no C source, header or man page in the tree
# casts to char **, const char **, char *const * or const char *const *
# (the one exception is testr_strv_items() in lib/strv.c, which does that
# cast for every caller).
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
$PY - "$TESTR_SOURCE_DIR/include/testr" <<'PY'
import os, re, sys
inc = sys.argv[1]
bad = []
for name in sorted(os.listdir(inc)):
    if not name.endswith('.h'):
        continue
    lines = open(os.path.join(inc, name), encoding='utf-8').read().split('\n')
    for i, line in enumerate(lines):
        if not re.match(r'(TESTR_API |typedef |struct \w+;|struct \w+ \{|enum \w+ \{)', line):
            continue
        if line.startswith('typedef struct') or '#define' in line:
            continue
        j = i - 1
        while j >= 0 and lines[j].strip() == '':
            j -= 1
        if j >= 0 and lines[j].rstrip().endswith('*/'):
            continue
        # A struct or enum whose fields carry the comments is documented.
        if line.rstrip().endswith('{'):
            k = i + 1
            while k < len(lines) and not lines[k].startswith('}'):
                if '/*' in lines[k]:
                    break
                k += 1
            if k < len(lines) and '/*' in lines[k]:
                continue
        bad.append('%s:%d: %s' % (name, i + 1, line.strip()))
for b in bad:
    print('undocumented: ' + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
echo "ok: every public declaration has a doc comment"

$PY - "$TESTR_SOURCE_DIR" <<'PY'
import os, re, sys
root = sys.argv[1]
cast = re.compile(r'\(\s*(const\s+)?char\s*\*\s*(const\s*)?\*\s*\)')
allowed = ('lib/strv.c', 'return (const char *const *)sv->v;')
dirs = ['lib', 'cli', 'exec', 'testr-check', 'examples', 'man', 'include',
        'tests', 'bench']
bad = []
for top in dirs:
    for d, subdirs, files in os.walk(os.path.join(root, top)):
        for name in sorted(files):
            if not re.search(r'\.([ch]|cc|cpp|[1-8])$', name):
                continue
            path = os.path.join(d, name)
            rel = os.path.relpath(path, root)
            with open(path, encoding='utf-8', errors='replace') as f:
                for n, line in enumerate(f, 1):
                    if not cast.search(line):
                        continue
                    if (rel, line.strip()) == allowed:
                        continue
                    bad.append('%s:%d: %s' % (rel, n, line.strip()))
for b in bad:
    print('string list cast (use testr_strv_items() or a const char * '
          'array): ' + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
echo "ok: no string list is cast"
