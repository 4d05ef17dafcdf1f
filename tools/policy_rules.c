/* SPDX-License-Identifier: ISC */
/*
 * The rules file reader. A line is cut at its first '#': what comes before
 * is the rule (five words), what comes after must be "why: TEXT". Every
 * error names the file and the line and changes nothing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tools/policy_rules.h"

#define WORDS 5

static const char grammar[] = "a rule is 'only|no WHO may hold|reach SLOT  # why: TEXT'"
			      " (WHO is one word: names joined by commas)";

struct parse {
	const char *path;
	unsigned line;
	char *err;
	size_t errlen;
};

static int fail(const struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(const struct parse *p, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (p->line)
		snprintf(p->err, p->errlen, "%s:%u: ", p->path, p->line);
	else
		snprintf(p->err, p->errlen, "%s: ", p->path);
	n = strlen(p->err);
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static char *trim(char *s)
{
	size_t n = strlen(s);

	while (*s == ' ' || *s == '\t')
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

static const char *const class_words[] = { NULL, "foundation", "service", "driver", "extension" };

static int parse_who_item(const struct parse *p, struct rule *r, const char *item, size_t len)
{
	struct rule_who *w;

	if (len == 0)
		return fail(p, "an empty name in the role list (two commas, or one at an end)");
	if (r->nwho == RULES_WHO_MAX)
		return fail(p, "more than %d names in one rule", RULES_WHO_MAX);
	if (len - (item[len - 1] == '*') >= sizeof w->name)
		return fail(p, "role name '%.*s' is longer than a role name can be", (int)len, item);
	w = &r->who[r->nwho++];
	memset(w, 0, sizeof *w);
	if (len == 4 && strncmp(item, "role", 4) == 0) {
		if (r->only)
			return fail(p, "'only role may ...' allows everything; name the roles");
		w->kind = WHO_ANY;
		return 0;
	}
	for (uint32_t c = 1; c < sizeof class_words / sizeof class_words[0]; c++)
		if (strlen(class_words[c]) == len && strncmp(item, class_words[c], len) == 0) {
			w->kind = WHO_CLASS;
			w->role_class = c;
			return 0;
		}
	w->kind = item[len - 1] == '*' ? WHO_PREFIX : WHO_ROLE;
	memcpy(w->name, item, len - (w->kind == WHO_PREFIX));
	if (w->kind == WHO_PREFIX && len == 1)
		return fail(p, "'*' alone is every role: write 'role'");
	return 0;
}

static int parse_who(const struct parse *p, struct rule *r, const char *word)
{
	const char *item = word;

	for (;;) {
		const char *comma = strchr(item, ',');
		size_t len = comma ? (size_t)(comma - item) : strlen(item);

		if (parse_who_item(p, r, item, len) != 0)
			return -1;
		if (!comma)
			return 0;
		item = comma + 1;
	}
}

static int parse_rule(const struct parse *p, struct rule *r, char *line)
{
	char *hash = strchr(line, '#'), *rule, *why, *words[WORDS + 1];
	size_t n = 0;
	char whyerr[512];

	memset(r, 0, sizeof *r);
	r->line = p->line;
	if (!hash)
		return fail(p, "the rule has no justification: end it with '# why: TEXT'");
	*hash = '\0';
	rule = trim(line);
	why = trim(hash + 1);
	if (strncmp(why, "why:", 4) != 0)
		return fail(p, "a rule's comment is its justification and starts with 'why:'");
	why = trim(why + 4);
	if (why[0] == '\0')
		return fail(p, "the justification after 'why:' is empty");
	snprintf(r->text, sizeof r->text, "%s", rule);
	snprintf(r->why, sizeof r->why, "%s", why);
	for (char *w = rule; *w && n <= WORDS;) {
		words[n++] = w;
		w += strcspn(w, " \t");
		if (*w)
			*w++ = '\0';
		w += strspn(w, " \t");
	}
	if (n != WORDS || strcmp(words[2], "may") != 0)
		return fail(p, "%s", grammar);
	if (strcmp(words[0], "only") == 0)
		r->only = 1;
	else if (strcmp(words[0], "no") != 0)
		return fail(p, "a rule starts with 'only' or 'no', not '%s'", words[0]);
	if (strcmp(words[3], "reach") == 0)
		r->reach = 1;
	else if (strcmp(words[3], "hold") != 0)
		return fail(p, "'may' is followed by 'hold' or 'reach', not '%s'", words[3]);
	if (parse_who(p, r, words[1]) != 0)
		return -1;
	if (slot_query_parse(&r->slot, words[4], whyerr, sizeof whyerr) != 0)
		return fail(p, "%s", whyerr);
	return 0;
}

int rules_parse(struct rules *r, const char *path, const char *text, size_t size, char *err,
		size_t errlen)
{
	struct parse p = { path, 0, err, errlen };
	char line[RULES_LINE_MAX + 1];
	size_t at = 0;

	memset(r, 0, sizeof *r);
	snprintf(r->path, sizeof r->path, "%s", path);
	r->rules = malloc(RULES_MAX * sizeof *r->rules);
	if (!r->rules)
		return fail(&p, "out of memory");
	while (at < size) {
		const char *nl = memchr(text + at, '\n', size - at);
		size_t len = nl ? (size_t)(nl - (text + at)) : size - at;
		char *s;

		p.line++;
		if (len > RULES_LINE_MAX) {
			rules_free(r);
			return fail(&p, "line longer than %d bytes", RULES_LINE_MAX);
		}
		memcpy(line, text + at, len);
		line[len] = '\0';
		at += len + 1;
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)line[i] < 0x20 ? line[i] != '\t' : (unsigned char)line[i] >= 0x7f) {
				rules_free(r);
				return fail(&p, "byte 0x%02x is not allowed", (unsigned char)line[i]);
			}
		s = trim(line);
		if (s[0] == '\0' || s[0] == '#')
			continue;
		if (r->n == RULES_MAX) {
			rules_free(r);
			return fail(&p, "more than %d rules", RULES_MAX);
		}
		if (parse_rule(&p, &r->rules[r->n], s) != 0) {
			rules_free(r);
			return -1;
		}
		r->n++;
	}
	p.line = 0;
	if (r->n == 0) {
		rules_free(r);
		return fail(&p, "no rules (an empty rules file would hold a build to nothing)");
	}
	return 0;
}

int rules_load(struct rules *r, const char *path, char *err, size_t errlen)
{
	struct parse p = { path, 0, err, errlen };
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int rc;

	memset(r, 0, sizeof *r);
	if (!f)
		return fail(&p, "cannot open: %s", strerror(errno));
	buf = malloc(RULES_FILE_MAX + 1);
	if (!buf) {
		fclose(f);
		return fail(&p, "out of memory");
	}
	n = fread(buf, 1, RULES_FILE_MAX + 1, f);
	/* The one likely mix-up: the binary named where the rules go. */
	rc = ferror(f) ? fail(&p, "cannot read: %s", strerror(errno))
	     : n >= 4 && memcmp(buf, "\177ELF", 4) == 0
		     ? fail(&p, "is an ELF file, not reviewer rules (the rules come first: check-rules RULES BINARY)")
	     : n > RULES_FILE_MAX ? fail(&p, "larger than %zu bytes", RULES_FILE_MAX)
	     : rules_parse(r, path, buf, n, err, errlen);
	free(buf);
	fclose(f);
	return rc;
}

void rules_free(struct rules *r)
{
	free(r->rules);
	r->rules = NULL;
	r->n = 0;
}
