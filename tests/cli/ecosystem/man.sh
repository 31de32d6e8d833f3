#!/bin/sh
# The manual pages: lint-clean under mandoc, rendered by man without a
# warning, installed by meson install, and complete: testr(1) documents every
# command and option the built testr knows, testr.conf(5) every option and
# every $VARIABLE.
. "$TESTR_SOURCE_DIR/tests/cli/lib.sh"
src="$TESTR_SOURCE_DIR/man"
t="$TESTR_BIN"
pages="testr.1 testr.conf.5 testr-repository.5 libtestr.3 testr-instance.1
testr-exec.1 libtestr-check.3"

for p in $pages; do
	[ -f "$src/$p" ] || fail "man/$p is missing"
	# -Wwarning: report warnings and errors (style hints are not wanted).
	mandoc -Tlint -Wwarning "$src/$p" > "$tmp/lint" 2>&1 ||
		fail "mandoc -Tlint $p: $(cat "$tmp/lint")"
	MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$src/$p" > "$tmp/out" 2> "$tmp/err" ||
		fail "man -l $p failed: $(cat "$tmp/err")"
	[ ! -s "$tmp/err" ] || fail "man -l $p warned: $(cat "$tmp/err")"
	[ "$(wc -l < "$tmp/out")" -gt 20 ] || fail "man -l $p rendered almost nothing"
done

# Installed where man finds them.
meson install --quiet --no-rebuild -C "$TESTR_BUILD_DIR" --destdir "$tmp/root" >/dev/null
for p in $pages; do
	sec=${p##*.}
	found=$(find "$tmp/root" -path "*/man/man$sec/$p" | head -n 1)
	[ -n "$found" ] || fail "$p not installed in man$sec"
done

# testr(1) knows every command and every option of each.
MANWIDTH=200 man -l "$src/testr.1" 2>/dev/null > "$tmp/testr.txt"
"$t" commands > "$tmp/commands.txt" || fail "testr commands failed"
sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' "$tmp/commands.txt" |
	grep -v '^command$' > "$tmp/cmds"
# An empty list would make the loop below check nothing.
[ "$(wc -l < "$tmp/cmds")" -ge 11 ] || fail "found only $(wc -l < "$tmp/cmds") commands"
n_opts=0
while read -r c; do
	grep -q "testr $c" "$tmp/testr.txt" || fail "testr.1 does not document '$c'"
	"$t" help "$c" > "$tmp/help.txt" || fail "testr help $c failed"
	sed -n 's/^  \(--[a-z-]*\).*/\1/p' "$tmp/help.txt" > "$tmp/opts"
	n_opts=$((n_opts + $(wc -l < "$tmp/opts")))
	while read -r o; do
		grep -q -- "$o" "$tmp/testr.txt" || fail "testr.1 does not document $c $o"
	done < "$tmp/opts"
done < "$tmp/cmds"
# run alone has ten options; none found means the parsing broke.
[ "$n_opts" -ge 10 ] || fail "found only $n_opts command options to check"
for o in --here --quiet --help --version; do
	grep -q -- "$o" "$tmp/testr.txt" || fail "testr.1 does not document $o"
done
for s in 0 1 2 3; do
	grep -q "^     $s " "$tmp/testr.txt" || fail "testr.1 does not document exit status $s"
done

# testr.conf(5) knows every option and every variable.
MANWIDTH=200 man -l "$src/testr.conf.5" 2>/dev/null > "$tmp/conf.txt"
for o in test_command test_id_option test_list_option test_id_list_default \
	 test_run_concurrency group_regex filter_tags instance_provision \
	 instance_execute instance_dispose test_format \
	 test_list_timeout test_run_concurrency_timeout \
	 instance_provision_timeout instance_dispose_timeout test_timeout \
	 test_idle_timeout test_run_timeout test_timeout_floor test_timeout_factor \
	 test_max_restarts; do
	grep -q "^     $o" "$tmp/conf.txt" || fail "testr.conf.5 has no entry for $o"
done
for v in IDOPTION IDFILE IDLIST LISTOPT INSTANCE_COUNT INSTANCE_ID COMMAND \
	 FILES INSTANCE_IDS; do
	grep -q "^     \\\$$v" "$tmp/conf.txt" || fail "testr.conf.5 has no entry for \$$v"
done
# libtestr(3) names every public header, and every function it names exists.
inc="$TESTR_SOURCE_DIR/include/testr"
for h in "$inc"/*.h; do
	grep -q "^\.It In testr/${h##*/}\$" "$src/libtestr.3" ||
		fail "libtestr.3 does not describe <testr/${h##*/}>"
done
sed -n 's/^\.Fn \(testr_[a-z0-9_]*\).*/\1/p; s/^\.Fo \(testr_[a-z0-9_]*\).*/\1/p' "$src/libtestr.3" |
	sort -u > "$tmp/fns"
[ -s "$tmp/fns" ] || fail "libtestr.3 names no function"
while read -r f; do
	case $f in *_) continue ;; esac	# testr_<noun>_new and the like
	grep -q "\b$f(" "$inc"/*.h || fail "libtestr.3 names $f, which no header declares"
done < "$tmp/fns"

# libtestr-check(3) documents every option, exit status and environment
# variable testr_check_main() knows, and the functions it names exist.
MANWIDTH=200 man -l "$src/libtestr-check.3" 2>/dev/null > "$tmp/tc.txt"
for o in --list --subunit --load-list CK_FORK CK_RUN_SUITE CK_RUN_CASE \
	 CK_INCLUDE_TAGS CK_EXCLUDE_TAGS testr_check_main; do
	grep -q -- "$o" "$tmp/tc.txt" || fail "libtestr-check.3 does not document $o"
done
for o in $(sed -n 's/.*strcmp(argv\[i\], "\(--[a-z-]*\)").*/\1/p' \
	   "$TESTR_SOURCE_DIR/testr-check/main.c"); do
	grep -q -- "$o" "$tmp/tc.txt" || fail "libtestr-check.3 does not document $o"
done
for s in 0 1 2 3; do
	grep -q "^     $s " "$tmp/tc.txt" || fail "libtestr-check.3 does not document exit status $s"
done

echo "ok: $(echo $pages | wc -w) pages lint-clean, rendered, installed and complete"
