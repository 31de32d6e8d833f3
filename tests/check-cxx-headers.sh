#!/bin/sh
# Every public header compiles as C++ (alone and through testr.h), warning
# free, and its declarations link against libtestr from a C++ program.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inc="$TESTR_SOURCE_DIR/include"
cxx=$(command -v g++ || command -v c++ || true)
[ -n "$cxx" ] || { echo "FAIL: no C++ compiler (g++)" >&2; exit 1; }
n=0
for h in "$inc"/testr/*.h; do
	name=$(basename "$h")
	printf '#include <testr/%s>\nint main() { return 0; }\n' "$name" > "$tmp/one.cc"
	"$cxx" -std=c++11 -Wall -Wextra -pedantic -Werror -I"$inc" \
		-c "$tmp/one.cc" -o "$tmp/one.o" ||
		{ echo "FAIL: $name does not compile as C++" >&2; exit 1; }
	n=$((n + 1))
done
[ "$n" -ge 10 ] || { echo "FAIL: found only $n headers" >&2; exit 1; }
cat > "$tmp/use.cc" <<'C'
#include <testr/testr.h>
#include <cstdio>
#include <cstring>

int main()
{
	struct testr_context *ctx = nullptr;
	if (testr_context_new(&ctx) != 0)
		return 1;
	std::printf("%s\n", testr_version());
	testr_context_free(ctx);
	return std::strlen(testr_strerror(TESTR_EINVAL)) ? 0 : 1;
}
C
"$cxx" -std=c++11 -Wall -Wextra -pedantic -Werror -I"$inc" "$tmp/use.cc" \
	-o "$tmp/use" -L"$TESTR_BUILD_DIR/lib" -ltestr ||
	{ echo "FAIL: a C++ program does not link libtestr" >&2; exit 1; }
LD_LIBRARY_PATH="$TESTR_BUILD_DIR/lib" "$tmp/use" > "$tmp/out"
echo "ok: $n public headers compile as C++; $(cat "$tmp/out")"
