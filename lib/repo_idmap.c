/* A map from test id to per-test state: memory grows with distinct ids only. */
#include "config-build.h"

#include <stdlib.h>
#include <string.h>

#include "repo_idmap.h"

#define ARENA_CHUNK (1u << 20)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	char data[];
};

static char *
arena_copy(struct repo_idmap *m, const char *s, size_t len)
{
	struct arena_chunk *c = m->arena;
	char *p;

	if (!c || c->cap - c->used < len + 1) {
		size_t cap = len + 1 > ARENA_CHUNK ? len + 1 : ARENA_CHUNK;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->next = m->arena;
		c->used = 0;
		c->cap = cap;
		m->arena = c;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

/* 64-bit mix of 8 bytes at a time: ids are long and share prefixes. */
static uint64_t
hash_id(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len;

	while (len >= 8) {
		uint64_t k;

		memcpy(&k, s, 8);
		h = (h ^ (k * 0xff51afd7ed558ccdull)) * 0xc4ceb9fe1a85ec53ull;
		h ^= h >> 29;
		s += 8;
		len -= 8;
	}
	while (len--)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

void
repo_idmap_init(struct repo_idmap *m)
{
	memset(m, 0, sizeof(*m));
}

void
repo_idmap_dispose(struct repo_idmap *m)
{
	while (m->arena) {
		struct arena_chunk *next = m->arena->next;

		free(m->arena);
		m->arena = next;
	}
	for (size_t i = 0; i < m->n_chunks; i++)
		free(m->chunks[i]);
	free(m->chunks);
	free(m->slots);
	repo_idmap_init(m);
}

static size_t
probe(const struct repo_idmap *m, const char *id, size_t len, uint64_t h)
{
	size_t mask = m->n_slots - 1, i = (size_t)(h >> 32) & mask;

	for (;; i = (i + 1) & mask) {
		uint64_t s = m->slots[i];
		const struct repo_test *t;

		if (!s)
			return i;
		if ((uint32_t)(s >> 32) != (uint32_t)h)
			continue;
		t = repo_idmap_at(m, (uint32_t)s - 1);
		if (t->id_len == len && memcmp(t->id, id, len) == 0)
			return i;
	}
}

struct repo_test *
repo_idmap_find(const struct repo_idmap *m, const char *id, size_t len)
{
	uint64_t s;

	if (!m->n_slots)
		return NULL;
	s = m->slots[probe(m, id, len, hash_id(id, len))];
	return s ? repo_idmap_at(m, (uint32_t)s - 1) : NULL;
}

static int
grow_slots(struct repo_idmap *m)
{
	size_t n = m->n_slots ? m->n_slots * 2 : 1024;
	uint64_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -1;
	free(m->slots);
	m->slots = slots;
	m->n_slots = n;
	for (size_t i = 0; i < m->n; i++) {
		const struct repo_test *t = repo_idmap_at(m, i);
		size_t j = (size_t)(hash_id(t->id, t->id_len) >> 32) & (n - 1);

		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = (uint64_t)t->hash << 32 | (i + 1);
	}
	return 0;
}

static struct repo_test *
add_entry(struct repo_idmap *m, const char *id, size_t len, uint64_t h)
{
	size_t chunk = m->n >> IDMAP_CHUNK_BITS;
	struct repo_test *t;

	if (chunk == m->n_chunks) {
		struct repo_test **c = realloc(m->chunks,
					       (chunk + 1) * sizeof(*c));

		if (!c)
			return NULL;
		m->chunks = c;
		c[chunk] = malloc(sizeof(**c) << IDMAP_CHUNK_BITS);
		if (!c[chunk])
			return NULL;
		m->n_chunks++;
	}
	t = repo_idmap_at(m, m->n);
	memset(t, 0, sizeof(*t));
	t->id = arena_copy(m, id, len);
	if (!t->id)
		return NULL;
	t->id_len = (uint32_t)len;
	t->hash = (uint32_t)h;
	m->n++;
	return t;
}

struct repo_test *
repo_idmap_get(struct repo_idmap *m, const char *id, size_t len)
{
	uint64_t h = hash_id(id, len);
	struct repo_test *t;
	size_t i;

	if (len >= (1u << 24) || m->n >= UINT32_MAX - 1)
		return NULL;
	if ((m->n + 1) * 2 > m->n_slots && grow_slots(m) < 0)
		return NULL;
	i = probe(m, id, len, h);
	if (m->slots[i])
		return repo_idmap_at(m, (uint32_t)m->slots[i] - 1);
	t = add_entry(m, id, len, h);
	if (t)
		m->slots[i] = (uint64_t)t->hash << 32 | m->n;
	return t;
}
