/*
 * test-icmum.c - update.mum, the manifest of a Windows servicing package
 *
 * Versions as Windows writes them and the ways they can be wrong; the
 * package's identity and the version of what it installs, from
 * manifests shaped like a host's Integration Services CAB and like a
 * KB's package; and every refusal, each with its reason.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "icmum.h"
#include "tap.h"

#define ASM "<assembly xmlns=\"urn:schemas-microsoft-com:asm.v3\" manifestVersion=\"1.0\">"
#define IDENTITY(name, version, arch)                                                  \
	"<assemblyIdentity name=\"" name "\" version=\"" version "\" processorArchitecture=\"" \
	arch "\" language=\"neutral\" publicKeyToken=\"31bf3856ad364e35\"/>"

/* A host's Windows6.x-HyperVIntegrationServices-x64.cab: the package is
 * versioned as what it installs. */
static const char vmguest_mum[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\r\n" ASM
	IDENTITY("Microsoft-Hyper-V-Integration-Services", "6.3.9600.18692", "amd64")
	"<package identifier=\"Hyper-V Integration Services\" releaseType=\"Update\">"
	"<parent><assemblyIdentity name=\"Microsoft-Windows-Foundation-Package\" "
	"version=\"6.1.7601.17514\" processorArchitecture=\"amd64\"/></parent>"
	"</package></assembly>";

/* A KB's package: numbered as a KB, its components carry the build. */
static const char kb_mum[] =
	"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>" ASM
	IDENTITY("Package_for_KB3063109", "6.1.1.2", "amd64")
	"<package identifier=\"KB3063109\" releaseType=\"Update\">"
	"<parent integrate=\"separate\"><assemblyIdentity name=\"Microsoft-Windows-Client-"
	"Features-Package\" version=\"9.9.9999.9999\" processorArchitecture=\"amd64\"/></parent>"
	"<update name=\"3063109-1\"><component>"
	"<assemblyIdentity name=\"Microsoft-Hyper-V-Drivers-Deployment\" "
	"version=\"6.3.9600.17903\" processorArchitecture=\"amd64\"/></component></update>"
	"<update name=\"3063109-2\"><component>"
	"<assemblyIdentity name=\"Microsoft-Hyper-V-Guest-Deployment\" "
	"version=\"6.3.9600.17831\" processorArchitecture=\"amd64\"/></component></update>"
	"</package></assembly>";

static int parse(const char *xml, struct icmum *mum, const char **why)
{
	*why = NULL;
	return icmum_parse((const uint8_t *)xml, strlen(xml), mum, why);
}

static void test_versions(void)
{
	static const char *const bad[] = {
		"", "6", "6.3.9600", "6.3.9600.17903.1", "6.3.9600.65536", "6.3.9600.-1",
		"6.3.9600.+1", " 6.3.9600.1", "6.3.9600.1 ", "6..9600.1", "6.3.9600.",
		"6.3.9600.000001", "6.3.9600.1x", "a.b.c.d",
	};
	struct icver a, b;
	char text[ICVER_TEXT_MAX];

	tap_ok(icver_parse("6.3.9600.17903", &a) && a.part[0] == 6 && a.part[1] == 3 &&
	       a.part[2] == 9600 && a.part[3] == 17903, "6.3.9600.17903 parses");
	icver_format(&a, text);
	tap_is_str(text, "6.3.9600.17903", "and prints back as it was");
	tap_ok(icver_parse("65535.65535.65535.65535", &b), "the largest version parses");
	icver_format(&b, text);
	tap_is_str(text, "65535.65535.65535.65535", "and fits the text buffer");
	tap_ok(icver_parse("06.02.09200.16385", &b) && b.part[2] == 9200 && b.part[3] == 16385,
	       "leading zeros are read as decimal, not octal");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		tap_ok(!icver_parse(bad[i], &b), "\"%s\" is not a version", bad[i]);

	icver_parse("6.2.9200.16385", &b);
	tap_ok(icver_compare(&a, &b) > 0, "6.3.9600.17903 is newer than 6.2.9200.16385");
	tap_ok(icver_compare(&b, &a) < 0, "and 6.2.9200.16385 older than 6.3.9600.17903");
	tap_ok(icver_compare(&b, &b) == 0, "a version is the same as itself");
	icver_parse("6.1.7601.17514", &a);
	tap_ok(icver_compare(&a, &b) < 0, "Windows 7's in-box 6.1.7601.17514 is older");
	icver_parse("6.2.9200.16384", &a);
	tap_ok(icver_compare(&a, &b) < 0, "6.2.9200.16384 is one short");
	icver_parse("6.10.0.0", &a);
	tap_ok(icver_compare(&a, &b) > 0, "6.10 is newer than 6.2: numbers, not text");
}

static void test_vmguest_manifest(void)
{
	struct icmum mum;
	const char *why;
	char text[ICVER_TEXT_MAX];
	int rc = parse(vmguest_mum, &mum, &why);

	tap_ok(rc == 0, "a host's IC package manifest parses: %s", why ? why : "ok");
	tap_is_str(mum.name, "Microsoft-Hyper-V-Integration-Services", "its name");
	tap_is_str(mum.arch, "amd64", "its architecture");
	tap_is_str(mum.language, "neutral", "its language");
	tap_is_str(mum.public_key_token, "31bf3856ad364e35", "its public key token");
	icver_format(&mum.version, text);
	tap_is_str(text, "6.3.9600.18692", "no components: the package's own version");
	tap_is_u64(mum.components, 0, "the <parent> (Windows 7 itself) is not a component");
}

static void test_kb_manifest(void)
{
	struct icmum mum;
	const char *why;
	char text[ICVER_TEXT_MAX];
	int rc = parse(kb_mum, &mum, &why);

	tap_ok(rc == 0, "a KB package manifest with a BOM parses: %s", why ? why : "ok");
	tap_is_str(mum.name, "Package_for_KB3063109", "its name");
	icver_format(&mum.package_version, text);
	tap_is_str(text, "6.1.1.2", "the package numbers itself as a KB");
	icver_format(&mum.version, text);
	tap_is_str(text, "6.3.9600.17903", "what it installs: its newest component");
	tap_is_u64(mum.components, 2, "two components; the parent's 9.9 is not one");
}

/* A manifest the test builds around one identity and one package body. */
static int parse_with(const char *identity, const char *body, struct icmum *mum,
		      const char **why)
{
	static char xml[4096];

	snprintf(xml, sizeof(xml), "%s%s<package>%s</package></assembly>", ASM, identity, body);
	return parse(xml, mum, why);
}

static void refused(const char *what, const char *xml, const char *reason)
{
	struct icmum mum;
	const char *why;
	int rc = parse(xml, &mum, &why);
	bool empty = mum.name[0] == '\0' && mum.arch[0] == '\0' && mum.components == 0;

	tap_ok(rc < 0 && why && strstr(why, reason) && empty, "%s is refused: %s", what,
	       why ? why : "(no reason)");
}

static void refused_with(const char *what, const char *identity, const char *body,
			 const char *reason)
{
	struct icmum mum;
	const char *why;
	int rc = parse_with(identity, body, &mum, &why);

	tap_ok(rc < 0 && why && strstr(why, reason) && mum.name[0] == '\0',
	       "%s is refused: %s", what, why ? why : "(no reason)");
}

static void test_refusals(void)
{
	static const char *const big_name =
		"<assemblyIdentity name=\"Xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"\" version=\"6.3.9600.1\" processorArchitecture=\"amd64\"/>";
	struct icmum mum;
	const char *why;
	uint8_t *huge;

	refused("an empty file", "", "empty");
	refused("text that is not XML", "MSCF garbage", "not well-formed");
	refused("a truncated manifest", ASM IDENTITY("P", "6.3.9600.1", "amd64") "<package>",
		"not well-formed");
	refused("a manifest with a DTD",
		"<?xml version=\"1.0\"?><!DOCTYPE assembly [<!ENTITY a \"aaaa\">]>" ASM
		IDENTITY("P", "6.3.9600.1", "amd64") "<package>&a;</package></assembly>",
		"document type declaration");
	refused("another XML document", "<WIM><IMAGE INDEX=\"1\"/></WIM>", "root is not <assembly>");
	refused("an assembly without identity", ASM "<package/></assembly>",
		"no <assemblyIdentity>");
	refused("a component manifest (no <package>)",
		ASM IDENTITY("Microsoft-Hyper-V-Drivers", "6.3.9600.1", "amd64") "</assembly>",
		"not a package");
	refused_with("a package without a name",
		     "<assemblyIdentity version=\"6.3.9600.1\" processorArchitecture=\"amd64\"/>",
		     "", "no name");
	refused_with("a name with a quote and a space",
		     "<assemblyIdentity name=\"a&quot; b\" version=\"6.3.9600.1\" "
		     "processorArchitecture=\"amd64\"/>", "", "no name");
	refused_with("a name over 200 characters", big_name, "", "no name");
	refused_with("a package without a version",
		     "<assemblyIdentity name=\"P\" processorArchitecture=\"amd64\"/>", "",
		     "no version");
	refused_with("a five-part version", IDENTITY("P", "6.3.9600.17903.1", "amd64"), "",
		     "no version");
	refused_with("a version part over 65535", IDENTITY("P", "6.3.9600.70000", "amd64"), "",
		     "no version");
	refused_with("a package without an architecture",
		     "<assemblyIdentity name=\"P\" version=\"6.3.9600.1\"/>", "",
		     "no processorArchitecture");
	refused_with("an architecture with a control character",
		     IDENTITY("P", "6.3.9600.1", "amd64&#9;"), "", "no processorArchitecture");
	refused_with("a short public key token",
		     "<assemblyIdentity name=\"P\" version=\"6.3.9600.1\" "
		     "processorArchitecture=\"amd64\" publicKeyToken=\"31bf\"/>", "",
		     "publicKeyToken");
	refused_with("a component with a broken version", IDENTITY("P", "6.3.9600.1", "amd64"),
		     "<update><component><assemblyIdentity name=\"C\" version=\"6.3.x.1\"/>"
		     "</component></update>", "component");

	{
		char deep[2 * 80 * 8 + 512] = "";
		size_t n = 0;

		for (int i = 0; i < 80; i++)
			n += (size_t)snprintf(deep + n, sizeof(deep) - n, "<u>");
		for (int i = 0; i < 80; i++)
			n += (size_t)snprintf(deep + n, sizeof(deep) - n, "</u>");
		refused_with("a package nested 80 levels deep", IDENTITY("P", "6.3.9600.1", "amd64"),
			     deep, "nested too deeply");
	}

	huge = calloc(1, ICMUM_MAX_SIZE + 1);
	tap_ok(huge && icmum_parse(huge, ICMUM_MAX_SIZE + 1, &mum, &why) < 0 &&
	       strstr(why, "larger than 4 MiB"), "a manifest over 4 MiB is refused unread");
	free(huge);

	tap_ok(parse_with(IDENTITY("P", "6.3.9600.1", "x86"), "", &mum, &why) == 0 &&
	       strcmp(mum.arch, "x86") == 0,
	       "an x86 package parses: refusing it is icpkg's business, with its reason");
	tap_ok(parse_with("<assemblyIdentity name=\"P\" version=\"6.3.9600.1\" "
			  "processorArchitecture=\"amd64\"/>", "", &mum, &why) == 0 &&
	       mum.language[0] == '\0' && mum.public_key_token[0] == '\0',
	       "language and publicKeyToken may be absent");
}

/* An ordinary Windows 7 SP1 update: its parent names the Windows it is
 * for; nothing in it is Hyper-V's. */
static const char update_mum[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>" ASM
	IDENTITY("Package_for_KB4474419", "6.1.3.2", "amd64")
	"<package identifier=\"KB4474419\" releaseType=\"Security Update\">"
	"<parent buildCompare=\"EQ\" serviceCompare=\"GE\" revisionCompare=\"GE\" "
	"integrate=\"separate\" disposition=\"detect\">"
	IDENTITY("Microsoft-Windows-Foundation-Package", "6.1.7601.17514", "amd64")
	"</parent><update name=\"4474419-1\"><component>"
	IDENTITY("Microsoft-Windows-Crypt32-Dll", "6.1.7601.24384", "amd64")
	"</component></update></package></assembly>";

static void test_parent(void)
{
	struct icmum mum;
	const char *why = NULL;
	char text[ICVER_TEXT_MAX];
	int rc = parse(update_mum, &mum, &why);

	tap_ok(rc == 0, "an update's manifest parses: %s",
	       why ? why : "ok");
	tap_ok(mum.has_parent, "it has a parent");
	tap_is_str(mum.parent_name, "Microsoft-Windows-Foundation-Package", "the parent's name");
	icver_format(&mum.parent_version, text);
	tap_is_str(text, "6.1.7601.17514", "the parent's version: Windows 7 SP1");
	tap_ok(!mum.names_hyper_v, "an ordinary update names no Hyper-V");

	tap_ok(parse(vmguest_mum, &mum, &why) == 0 && mum.names_hyper_v && mum.has_parent,
	       "a host's IC package names Hyper-V in its own name");
	tap_ok(parse(kb_mum, &mum, &why) == 0 && mum.names_hyper_v &&
	       strcmp(mum.parent_name, "Microsoft-Windows-Client-Features-Package") == 0,
	       "a KB's IC package names Hyper-V in its components; any parent name is kept");

	tap_ok(parse_with(IDENTITY("P", "6.1.1.1", "amd64"), "", &mum, &why) == 0 &&
	       !mum.has_parent, "a manifest without <parent> says so");
	tap_ok(parse_with(IDENTITY("P", "6.1.1.1", "amd64"),
			  "<update><parent>" IDENTITY("W", "6.2.9200.16384", "amd64")
			  "</parent></update>", &mum, &why) == 0 &&
	       mum.has_parent && mum.parent_version.part[1] == 2,
	       "a parent deeper inside <package> is found");
	tap_ok(parse_with(IDENTITY("P", "6.1.1.1", "amd64"),
			  "<parent>" IDENTITY("A", "6.0.6002.18005", "amd64")
			  IDENTITY("B", "6.1.7601.17514", "amd64") "</parent>", &mum, &why) == 0 &&
	       strcmp(mum.parent_name, "A") == 0, "of two parents, the first counts");
	tap_ok(parse_with(IDENTITY("P", "6.1.1.1", "amd64"),
			  "<parent><assemblyIdentity name=\"W\" version=\"6.1\"/></parent>",
			  &mum, &why) < 0 && why && strstr(why, "<parent> names no system"),
	       "a parent without a whole version is refused");
}

int main(void)
{
	test_versions();
	test_vmguest_manifest();
	test_kb_manifest();
	test_refusals();
	test_parent();
	return tap_done();
}
