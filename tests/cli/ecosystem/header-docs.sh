#!/bin/sh
# Every declaration in the public headers carries a doc comment: each
# TESTR_API declaration, typedef, struct and enum is directly preceded by a
# comment (or, for a struct/enum field list, documented inside).
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
