/*
 * Private: events as the repository can store them.  Run files are subunit
 * v2, which cannot hold every event a decoder or a caller may produce; this
 * module turns any event into packets v2 can hold, faithfully where the
 * protocol allows and otherwise in the degraded forms testr-repository(5)
 * documents, so that one odd event never costs the run.
 */
#ifndef TESTR_LIB_REPO_STORABLE_H
#define TESTR_LIB_REPO_STORABLE_H

#include <testr/subunit.h>

/* What was changed to make an event storable (bits of ->notes). */
enum repo_storable_note {
	STORABLE_TIME_DROPPED = 1u << 0,	/* outside 1970..2106 */
	STORABLE_ESCAPED = 1u << 1,		/* a string was not UTF-8 */
	STORABLE_CUT = 1u << 2,			/* strings too long for a packet */
};

struct repo_storable {
	struct testr_event ev;	/* what is stored; borrows from the input */
	unsigned notes;		/* repo_storable_note bits */
	struct testr_strv owned;	/* changed copies of strings */
	const char **tags;	/* the tag array, when a tag was changed */
};

/*
 * Make @ev storable into @s (dispose it after).  0 or TESTR_ENOMEM.  The
 * changes keep the event's meaning for counting: same test, same status.
 */
int repo_storable_make(struct repo_storable *s, const struct testr_event *ev);
void repo_storable_dispose(struct repo_storable *s);

/*
 * Encode a storable event as subunit v2 to @write, as one packet, or as
 * several when its attachment is too long for one (the attachment is cut
 * into chunks, which subunit joins again: nothing is lost).
 */
int repo_storable_encode(struct testr_context *ctx,
			 const struct testr_event *ev, testr_write_fn write,
			 void *userdata);

/* One line saying what @notes means, for a warning. */
const char *repo_storable_describe(unsigned notes);

#endif
