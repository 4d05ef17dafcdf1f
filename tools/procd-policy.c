/* SPDX-License-Identifier: ISC */
/*
 * procd-policy: what a built procd grants, read from the binary itself.
 *
 * It never runs the binary: the registries are read from their ELF sections
 * (tools/registry_file.c) and judged by the same checker procd runs at
 * startup (core/registry_check.c), so review, build gate and runtime agree.
 * `lock` writes the reviewed record of a build and `diff` compares builds
 * and records through one model (tools/policy_model.h), so a record and the
 * binary it was written from always compare equal.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/abi_names.h"
#include "tools/policy_diff.h"
#include "tools/policy_graph.h"
#include "tools/policy_lock.h"
#include "tools/policy_output.h"
#include "tools/policy_reach.h"
#include "tools/policy_rules.h"
#include "tools/policy_verify.h"
#include "tools/registry_file.h"

#define EXIT_FINDINGS 1 /* lint violations, unknown role */
#define EXIT_CHANGED  1 /* diff: changes, none of them widening */
#define EXIT_USAGE    2 /* bad command line, unreadable or malformed file */
#define EXIT_WIDENED  3 /* diff: some authority was widened (CI gates on it) */
#define EXIT_IMAGE    4 /* diff: a role now runs another program (CI gates on it) */

static const char usage_text[] =
	"usage: procd-policy list [--json | --markdown | --dot] BINARY\n"
	"       procd-policy show [--json] BINARY ROLE\n"
	"       procd-policy lint [--json] BINARY\n"
	"       procd-policy lock BINARY\n"
	"       procd-policy diff [--json | --markdown] [--compiled-in] OLD NEW\n"
	"       procd-policy who-holds [--json] BINARY SLOT\n"
	"       procd-policy reach [--json] BINARY ROLE\n"
	"       procd-policy check-rules [--json] RULES BINARY\n"
	"       procd-policy verify BINARY MANIFEST\n"
	"       procd-policy --help | --version\n";

static const char help_text[] =
	"\n"
	"Reads the role policy and op registries of a built procd ELF file, without\n"
	"running it, and compares them with another build or a reviewed record.\n"
	"\n"
	"commands:\n"
	"  list BINARY        every role policy (by role id) and every op (by op id)\n"
	"  show BINARY ROLE   one role's whole grant; ROLE is a name or an id (17, 0x11)\n"
	"  lint BINARY        check the registry invariants procd checks at startup\n"
	"  lock BINARY        print the policy record (policies/POLICY.lock): one fact per line\n"
	"  diff OLD NEW       every change of authority from OLD to NEW, each labelled\n"
	"                     widening, narrowing, neutral or image; OLD and NEW are\n"
	"                     each a binary or a policy record\n"
	"  who-holds BINARY SLOT  every role that may hold SLOT: a number (2112), a\n"
	"                     name (procd-driver) or a name prefix (kernel-*)\n"
	"  reach BINARY ROLE  every role ROLE may start, directly or through them, and\n"
	"                     every slot it can so cause to be granted\n"
	"  check-rules RULES BINARY  hold BINARY to a reviewer rules file\n"
	"                     (policies/REVIEW.rules): each broken rule with its why\n"
	"  verify BINARY MANIFEST  every slot the roles a boot manifest starts are\n"
	"                     granted that nothing supplies, and every supplied slot\n"
	"                     no policy grants (non-zero on any)\n"
	"\n"
	"options:\n"
	"  --json             machine-readable output (list, show, lint, diff, who-holds,\n"
	"                     reach, check-rules)\n"
	"  --markdown         tables ready to paste into a review (list, diff)\n"
	"  --dot              the authority graph in Graphviz DOT (list)\n"
	"  --compiled-in      diff: NEW compiles in fewer roles; roles of OLD that NEW\n"
	"                     lacks are not changes (every role NEW has is compared),\n"
	"                     nor are the ops of a role module NEW leaves out\n"
	"  --help             show this help and exit\n"
	"  --version          show the version and exit\n"
	"\n"
	"exit status: 0 ok (diff: no change); 1 lint violations, unknown role, a\n"
	"             broken rule, or (diff) changes none of which widens authority;\n"
	"             2 usage error, a file that cannot be read or is malformed, or\n"
	"             a rules file naming a role neither BINARY nor the ABI has;\n"
	"             3 (diff) some change widens authority;\n"
	"             4 (diff) some role's image changed: another program would run\n"
	"             with that role's authority (4 outranks 3; gate on status >= 3)\n";

enum command {
	CMD_LIST, CMD_SHOW, CMD_LINT, CMD_LOCK, CMD_DIFF, CMD_WHO_HOLDS, CMD_REACH, CMD_CHECK_RULES
};
enum format { FMT_TEXT, FMT_JSON, FMT_MARKDOWN, FMT_DOT };

struct cli {
	enum command cmd;
	enum format format;
	int compiled_in;
	const char *binary; /* diff: OLD */
	const char *role;   /* show: ROLE; diff: NEW */
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("procd-policy: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

static const struct {
	const char *word;
	enum command cmd;
	unsigned formats; /* 1 << enum format */
	int args;         /* positional arguments after the command */
	const char *missing; /* what a short command line lacks */
} commands[] = {
	{ "list", CMD_LIST, 1u << FMT_TEXT | 1u << FMT_JSON | 1u << FMT_MARKDOWN | 1u << FMT_DOT, 1,
	  "BINARY" },
	{ "show", CMD_SHOW, 1u << FMT_TEXT | 1u << FMT_JSON, 2, "BINARY or ROLE" },
	{ "lint", CMD_LINT, 1u << FMT_TEXT | 1u << FMT_JSON, 1, "BINARY" },
	{ "lock", CMD_LOCK, 1u << FMT_TEXT, 1, "BINARY" },
	{ "diff", CMD_DIFF, 1u << FMT_TEXT | 1u << FMT_JSON | 1u << FMT_MARKDOWN, 2, "OLD or NEW" },
	{ "who-holds", CMD_WHO_HOLDS, 1u << FMT_TEXT | 1u << FMT_JSON, 2, "BINARY or SLOT" },
	{ "reach", CMD_REACH, 1u << FMT_TEXT | 1u << FMT_JSON, 2, "BINARY or ROLE" },
	{ "check-rules", CMD_CHECK_RULES, 1u << FMT_TEXT | 1u << FMT_JSON, 2, "RULES or BINARY" },
};

static const char *const format_options[] = { NULL, "--json", "--markdown", "--dot" };

static int command_of(const char *word)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(word, commands[i].word) == 0)
			return (int)i;
	return -1;
}

/* An output option; -1 if a different one was given already. */
static int format_of(const char *a, struct cli *cli, int *is_format)
{
	*is_format = 0;
	for (int f = FMT_JSON; f <= FMT_DOT; f++)
		if (strcmp(a, format_options[f]) == 0) {
			*is_format = 1;
			if (cli->format != FMT_TEXT && cli->format != (enum format)f)
				return -1;
			cli->format = (enum format)f;
		}
	return 0;
}

/* Checks what the command allows, once the whole line is read. */
static int check_command(struct cli *cli, const char **pos, int npos)
{
	int c = command_of(pos[0]);
	int want;

	if (c < 0)
		return usage_error("unknown command '%s'", pos[0]);
	cli->cmd = commands[c].cmd;
	want = commands[c].args + 1;
	if (!(commands[c].formats & (1u << cli->format)))
		return usage_error("%s: %s is not an output of this command", pos[0],
				   format_options[cli->format]);
	if (cli->compiled_in && cli->cmd != CMD_DIFF)
		return usage_error("%s: --compiled-in applies to diff only", pos[0]);
	if (npos < want)
		return usage_error("%s: missing %s", pos[0], commands[c].missing);
	if (npos > want)
		return usage_error("%s: unexpected argument '%s'", pos[0], pos[want]);
	cli->binary = pos[1];
	cli->role = want == 3 ? pos[2] : NULL;
	return 0;
}

/* 0 to run, -1 when --help or --version was answered, else an exit status. */
static int parse_cli(int argc, char **argv, struct cli *cli)
{
	const char *pos[3];
	int npos = 0, options = 1, is_format;

	if (argc < 2)
		return usage_error("%s", "no command given");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (options && strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			return -1;
		}
		if (options && strcmp(a, "--version") == 0) {
			printf("procd-policy (procd) %s\n", PACKAGE_VERSION);
			return -1;
		}
		if (options && format_of(a, cli, &is_format) != 0)
			return usage_error("%s and %s exclude each other", format_options[cli->format], a);
		if (options && is_format) {
			continue;
		} else if (options && strcmp(a, "--compiled-in") == 0) {
			cli->compiled_in = 1;
		} else if (options && strcmp(a, "--") == 0) {
			options = 0;
		} else if (options && a[0] == '-' && a[1] != '\0') {
			return usage_error("unknown option '%s'", a);
		} else {
			if (npos == 3)
				return usage_error("unexpected argument '%s'", a);
			pos[npos++] = a;
		}
	}
	if (npos == 0)
		return usage_error("%s", "no command given");
	return check_command(cli, pos, npos);
}

/* A role id as written on the command line: decimal, or 0x-prefixed hex. */
static int parse_role_id(const char *s, uint32_t *id)
{
	int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;
	unsigned long long v;
	char *end;

	/* strtoull would also take a sign or leading blanks; ids have neither. */
	if (digits[0] == '\0' ||
	    !strchr(hex ? "0123456789abcdefABCDEF" : "0123456789", digits[0]))
		return -1;
	errno = 0;
	v = strtoull(digits, &end, hex ? 16 : 10);
	if (errno != 0 || *end != '\0' || v > UINT32_MAX)
		return -1;
	*id = (uint32_t)v;
	return 0;
}

static void file_error(const char *path, const struct elf_error *err);

static int role_matches(const struct procd_policy *p, const char *arg, int by_id, uint32_t id)
{
	if (by_id)
		return p->role == id;
	return procd_field_eq(p->name, sizeof p->name, arg, strlen(arg));
}

/* rootd or procd, by name or id: roles the ABI fixes, which no policy
 * declares. */
static const char *abi_only_role(const char *arg, int by_id, uint32_t id)
{
	static const uint32_t fixed[] = { ROLE_ROOTD, ROLE_PROCD };

	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (by_id ? id == fixed[i] : strcmp(arg, abi_role_name(fixed[i])) == 0)
			return abi_role_name(fixed[i]);
	return NULL;
}

static int cmd_show(const struct cli *cli, const struct registry_file *rf)
{
	struct policy_model m;
	struct elf_error err;
	uint32_t id = 0;
	int by_id = parse_role_id(cli->role, &id) == 0;
	const struct procd_policy *found = NULL;
	size_t matches = 0;

	for (size_t i = 0; i < rf->npolicies; i++)
		if (role_matches(&rf->policies[i], cli->role, by_id, id) && matches++ == 0)
			found = &rf->policies[i];
	if (!found && abi_only_role(cli->role, by_id, id)) {
		fprintf(stderr, "procd-policy: %s: %s has no policy: the procd ABI fixes what it may do"
			" (procd-policy reach %s %s lists the roles it may start)\n",
			cli->binary, abi_only_role(cli->role, by_id, id), cli->binary, abi_only_role(cli->role, by_id, id));
		return EXIT_FINDINGS;
	}
	if (!found) {
		fprintf(stderr, "procd-policy: %s: no role '", cli->binary);
		output_text_escaped(stderr, cli->role, strlen(cli->role));
		fputs("'; known roles: ", stderr);
		output_role_names(stderr, rf);
		fputc('\n', stderr);
		return EXIT_FINDINGS;
	}
	if (matches > 1)
		fprintf(stderr, "procd-policy: %s: %zu policies match '%s'; showing the first"
			" (lint rejects this registry)\n", cli->binary, matches, cli->role);
	/* Who it may start is read off every policy: the model has them as sets. */
	if (model_from_registry(&m, rf, &err) != 0) {
		file_error(cli->binary, &err);
		return EXIT_USAGE;
	}
	if (cli->format == FMT_JSON)
		output_show_json(stdout, rf, &m, found);
	else
		output_show_text(stdout, rf, &m, found);
	model_free(&m);
	return 0;
}

static int cmd_lint(const struct cli *cli, const struct registry_file *rf)
{
	struct lint_output lo;

	output_lint_begin(&lo, stdout, cli->format == FMT_JSON, rf);
	procd_registry_check(&rf->sets, output_lint_finding, &lo);
	output_lint_end(&lo, rf);
	if (lo.count == 0)
		return 0;
	fflush(stdout); /* the findings first, when both streams go to one file */
	fprintf(stderr, "procd-policy: %s: %zu violation%s of the registry invariants\n",
		cli->binary, lo.count, lo.count == 1 ? "" : "s");
	return EXIT_FINDINGS;
}

/* An error message is shown as written, a backslash included (record
 * errors quote escapes); only bytes a terminal could act on are escaped. */
static void message_escaped(const char *s, size_t max)
{
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f)
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
}

static void file_error(const char *path, const struct elf_error *err)
{
	fprintf(stderr, "procd-policy: ");
	message_escaped(path, SIZE_MAX);
	fputs(": ", stderr);
	message_escaped(err->msg, sizeof err->msg);
	fputc('\n', stderr);
}

/* The model of a binary or a record, with the error reported. */
static int load_model(struct policy_model *m, const char *path)
{
	struct elf_error err;

	if (model_load(m, path, &err) == 0)
		return 0;
	file_error(path, &err);
	return -1;
}

static int cmd_diff(const struct cli *cli)
{
	struct policy_model old, new;
	struct policy_diff d;
	int rc = EXIT_USAGE;

	if (load_model(&old, cli->binary) != 0)
		return EXIT_USAGE;
	if (load_model(&new, cli->role) != 0) {
		model_free(&old);
		return EXIT_USAGE;
	}
	if (diff_models(&d, &old, &new, cli->compiled_in) != 0) {
		fputs("procd-policy: out of memory\n", stderr);
	} else {
		if (cli->format == FMT_JSON)
			diff_write_json(stdout, &d, cli->binary, cli->role);
		else if (cli->format == FMT_MARKDOWN)
			diff_write_markdown(stdout, &d, cli->binary, cli->role);
		else
			diff_write_text(stdout, &d, cli->binary, cli->role);
		/* Another program with a role's grant outranks any one widened fact. */
		rc = d.count[EFFECT_IMAGE] ? EXIT_IMAGE : d.count[EFFECT_WIDENING] ? EXIT_WIDENED
			: d.n ? EXIT_CHANGED : 0;
		diff_free(&d);
	}
	model_free(&new);
	model_free(&old);
	return rc;
}

/* Asked of the model, so a reviewed record answers as its binary does. */
static int cmd_reach(const struct cli *cli, const struct policy_model *m)
{
	struct slot_query q;
	struct reach r;
	char why[512];
	uint32_t id;

	if (cli->cmd == CMD_WHO_HOLDS) {
		if (slot_query_parse(&q, cli->role, why, sizeof why) != 0)
			return usage_error("who-holds: %s", why);
		if (cli->format == FMT_JSON)
			who_holds_write_json(stdout, m, &q);
		else
			who_holds_write_text(stdout, m, &q);
		return 0;
	}
	if (reach_role_arg(m, cli->role, &id) != 0) {
		fputs("procd-policy: reach: no role '", stderr);
		output_text_escaped(stderr, cli->role, SIZE_MAX);
		fputs("' (a role name, rootd, procd, or an id); known roles: ", stderr);
		for (size_t i = 0; i < m->nroles; i++) {
			fputs(i ? ", " : "", stderr);
			output_text_escaped(stderr, m->roles[i].name, SIZE_MAX);
		}
		fputc('\n', stderr);
		return EXIT_FINDINGS;
	}
	if (reach_compute(&r, m, id) != 0) {
		fputs("procd-policy: out of memory\n", stderr);
		return EXIT_USAGE;
	}
	if (cli->format == FMT_JSON)
		reach_write_json(stdout, m, &r);
	else
		reach_write_text(stdout, m, &r);
	reach_free(&r);
	return 0;
}

/* The build's model against the maintainer's rules: RULES is cli->binary. */
static int cmd_check_rules(const struct cli *cli)
{
	struct policy_model m;
	struct rules rs;
	char err[1024];
	int broken;

	if (rules_load(&rs, cli->binary, err, sizeof err) != 0) {
		fputs("procd-policy: ", stderr);
		message_escaped(err, sizeof err);
		fputc('\n', stderr);
		return EXIT_USAGE;
	}
	if (load_model(&m, cli->role) != 0) {
		rules_free(&rs);
		return EXIT_USAGE;
	}
	broken = rules_check(stdout, &rs, &m, cli->format == FMT_JSON, err, sizeof err);
	if (broken == 0 && cli->format != FMT_JSON) {
		output_text_escaped(stdout, cli->role, SIZE_MAX);
		printf(": the %zu rules of ", rs.n);
		output_text_escaped(stdout, cli->binary, SIZE_MAX);
		puts(" hold");
	} else if (broken < 0) {
		fputs("procd-policy: ", stderr);
		message_escaped(err, sizeof err);
		fputc('\n', stderr);
	} else if (broken > 0) {
		fflush(stdout);
		fputs("procd-policy: ", stderr);
		message_escaped(cli->role, SIZE_MAX);
		fprintf(stderr, ": %d of %zu rules broken (", broken, rs.n);
		message_escaped(cli->binary, SIZE_MAX);
		fputs(")\n", stderr);
	}
	model_free(&m);
	rules_free(&rs);
	return broken < 0 ? EXIT_USAGE : broken ? EXIT_FINDINGS : 0;
}

/* lock and list --dot work on the model, so a record serves as well. */
static int cmd_model(const struct cli *cli)
{
	struct policy_model m;
	int rc = 0;

	if (load_model(&m, cli->binary) != 0)
		return EXIT_USAGE;
	if (cli->cmd == CMD_LOCK)
		lock_write(stdout, &m);
	else if (cli->cmd == CMD_WHO_HOLDS || cli->cmd == CMD_REACH)
		rc = cmd_reach(cli, &m);
	else
		graph_write_dot(stdout, &m, cli->binary);
	model_free(&m);
	return rc;
}

static int run(const struct cli *cli)
{
	struct registry_file rf;
	struct elf_error err;
	int rc = 0;

	if (cli->cmd == CMD_DIFF)
		return cmd_diff(cli);
	if (cli->cmd == CMD_CHECK_RULES)
		return cmd_check_rules(cli);
	if (cli->cmd == CMD_LOCK || cli->cmd == CMD_WHO_HOLDS || cli->cmd == CMD_REACH ||
	    cli->format == FMT_DOT)
		return cmd_model(cli);
	if (registry_load(&rf, cli->binary, &err) != 0) {
		struct policy_model record;
		struct elf_error ignored;

		/* A reviewed record where a binary belongs: say which commands take one. */
		if (model_load(&record, cli->binary, &ignored) == 0) {
			model_free(&record);
			fputs("procd-policy: ", stderr);
			message_escaped(cli->binary, SIZE_MAX);
			fputs(": a policy record, not a binary; list, show and lint read the binary"
			      " (lock, diff, who-holds, reach and list --dot read a record too)\n", stderr);
			return EXIT_USAGE;
		}
		file_error(cli->binary, &err);
		return EXIT_USAGE;
	}
	switch (cli->cmd) {
	case CMD_LIST:
		if (cli->format == FMT_JSON)
			output_list_json(stdout, &rf);
		else if (cli->format == FMT_MARKDOWN)
			output_list_markdown(stdout, &rf);
		else
			output_list_text(stdout, &rf);
		break;
	case CMD_SHOW:
		rc = cmd_show(cli, &rf);
		break;
	case CMD_LINT:
		rc = cmd_lint(cli, &rf);
		break;
	case CMD_LOCK:
	case CMD_DIFF:
	case CMD_WHO_HOLDS:
	case CMD_REACH:
	case CMD_CHECK_RULES:
		break;
	}
	registry_free(&rf);
	return rc;
}

int main(int argc, char **argv)
{
	struct cli cli = { .cmd = CMD_LIST, .format = FMT_TEXT, .compiled_in = 0, .binary = NULL,
			   .role = NULL };
	if (argc > 1 && strcmp(argv[1], "verify") == 0)
		return policy_verify_main(argc - 1, argv + 1);
	int rc = parse_cli(argc, argv, &cli);

	if (rc == 0)
		rc = run(&cli);
	else if (rc < 0)
		rc = 0;
	/* Output cut short (a full disk, a closed pipe) must not pass as a review. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "procd-policy: cannot write output: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	return rc;
}
