/* SPDX-License-Identifier: ISC */
/*
 * procd-policy: what a built procd grants, read from the binary itself.
 *
 * It never runs the binary: the registries are read from their ELF sections
 * (tools/registry_file.c) and judged by the same checker procd runs at
 * startup (core/registry_check.c), so review, build gate and runtime agree.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/policy_output.h"
#include "tools/registry_file.h"

#define EXIT_FINDINGS 1 /* lint violations, unknown role */
#define EXIT_USAGE    2 /* bad command line, unreadable or malformed file */

static const char usage_text[] =
	"usage: procd-policy list [--json] BINARY\n"
	"       procd-policy show [--json] BINARY ROLE\n"
	"       procd-policy lint [--json] BINARY\n"
	"       procd-policy --help | --version\n";

static const char help_text[] =
	"\n"
	"Reads the role policy and op registries of a built procd ELF file, without\n"
	"running it.\n"
	"\n"
	"commands:\n"
	"  list BINARY        every role policy (by role id) and every op (by op id)\n"
	"  show BINARY ROLE   one role's whole grant; ROLE is a name or an id (17, 0x11)\n"
	"  lint BINARY        check the registry invariants procd checks at startup\n"
	"\n"
	"options:\n"
	"  --json             machine-readable output\n"
	"  --help             show this help and exit\n"
	"  --version          show the version and exit\n"
	"\n"
	"exit status: 0 ok; 1 lint violations or unknown role;\n"
	"             2 usage error, or a file that cannot be read or is malformed\n";

enum command { CMD_LIST, CMD_SHOW, CMD_LINT };

struct cli {
	enum command cmd;
	int json;
	const char *binary;
	const char *role; /* show only */
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

static int command_of(const char *word, enum command *cmd)
{
	static const struct {
		const char *word;
		enum command cmd;
	} commands[] = { { "list", CMD_LIST }, { "show", CMD_SHOW }, { "lint", CMD_LINT } };

	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(word, commands[i].word) == 0) {
			*cmd = commands[i].cmd;
			return 0;
		}
	return -1;
}

/* 0 to run, -1 when --help or --version was answered, else an exit status. */
static int parse_cli(int argc, char **argv, struct cli *cli)
{
	const char *pos[3];
	int npos = 0, want, options = 1;

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
		if (options && strcmp(a, "--json") == 0) {
			cli->json = 1;
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
	if (command_of(pos[0], &cli->cmd) != 0)
		return usage_error("unknown command '%s'", pos[0]);
	want = cli->cmd == CMD_SHOW ? 3 : 2;
	if (npos < want)
		return usage_error("%s: missing %s", pos[0], want == 3 ? "BINARY or ROLE" : "BINARY");
	if (npos > want)
		return usage_error("%s: unexpected argument '%s'", pos[0], pos[want]);
	cli->binary = pos[1];
	cli->role = want == 3 ? pos[2] : NULL;
	return 0;
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

static int role_matches(const struct procd_policy *p, const char *arg, int by_id, uint32_t id)
{
	if (by_id)
		return p->role == id;
	return procd_field_eq(p->name, sizeof p->name, arg, strlen(arg));
}

static int cmd_show(const struct cli *cli, const struct registry_file *rf)
{
	uint32_t id = 0;
	int by_id = parse_role_id(cli->role, &id) == 0;
	const struct procd_policy *found = NULL;
	size_t matches = 0;

	for (size_t i = 0; i < rf->npolicies; i++)
		if (role_matches(&rf->policies[i], cli->role, by_id, id) && matches++ == 0)
			found = &rf->policies[i];
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
	if (cli->json)
		output_show_json(stdout, rf, found);
	else
		output_show_text(stdout, rf, found);
	return 0;
}

static int cmd_lint(const struct cli *cli, const struct registry_file *rf)
{
	struct lint_output lo;

	output_lint_begin(&lo, stdout, cli->json, rf);
	procd_registry_check(&rf->sets, output_lint_finding, &lo);
	output_lint_end(&lo, rf);
	if (lo.count == 0)
		return 0;
	fflush(stdout); /* the findings first, when both streams go to one file */
	fprintf(stderr, "procd-policy: %s: %zu violation%s of the registry invariants\n",
		cli->binary, lo.count, lo.count == 1 ? "" : "s");
	return EXIT_FINDINGS;
}

static int run(const struct cli *cli)
{
	struct registry_file rf;
	struct elf_error err;
	int rc = 0;

	if (registry_load(&rf, cli->binary, &err) != 0) {
		fprintf(stderr, "procd-policy: %s: ", cli->binary);
		output_text_escaped(stderr, err.msg, sizeof err.msg);
		fputc('\n', stderr);
		return EXIT_USAGE;
	}
	switch (cli->cmd) {
	case CMD_LIST:
		if (cli->json)
			output_list_json(stdout, &rf);
		else
			output_list_text(stdout, &rf);
		break;
	case CMD_SHOW:
		rc = cmd_show(cli, &rf);
		break;
	case CMD_LINT:
		rc = cmd_lint(cli, &rf);
		break;
	}
	registry_free(&rf);
	return rc;
}

int main(int argc, char **argv)
{
	struct cli cli = { .cmd = CMD_LIST, .json = 0, .binary = NULL, .role = NULL };
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
