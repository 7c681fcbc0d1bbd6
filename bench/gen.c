/* gen.c — lzs-bench-gen: a synthetic corpus in the shipped corpus's format, for benchmarks.
 *
 *   lzs-bench-gen [--seed N] [--seeds DIR] [--data DIR] OUTDIR NFILES
 *
 * Writes NFILES documents into OUTDIR: lists of decisions (numbered agenda items and
 * numbered decision paragraphs) and thematic factsheets (sections, recommendations with
 * "The Committee requires/requests/invites" + addressed Parties + footnoted identifiers),
 * seven in ten in English and three in French, each with a NAME.meta.json sidecar
 * (reference, title, type, date, language). English text is drawn from a word-bigram chain
 * learnt from the seed documents (--seeds, default the shipped corpus), so vocabulary and
 * word frequencies look like the real ones; French text from a bank of sentence pieces.
 * Party names come from the gazetteer (--data). Output is a pure function of the seed
 * corpus, the data and --seed: the same arguments always give the same bytes.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lzs/hash.h"
#include "lzs/extract.h"
#include "lzs/paths.h"
#include "rng.h"

/* ---- deterministic random numbers (rng.h) ---------------------------------------- */

static bench_rng_t rng;

static uint64_t rnd(void)
{
    return bench_rng_next(&rng);
}

static size_t rnd_below(size_t n)
{
    return n ? (size_t)(rnd() % n) : 0;
}

/* ---- the word chain ------------------------------------------------------------------ */

typedef struct {
    char **words; /* distinct words */
    size_t nwords, capwords;
    size_t *next_off, *next_len; /* successors of word i: succ[next_off[i] .. +next_len[i]] */
    size_t *succ;
    size_t *starts; /* words that begin a sentence */
    size_t nstarts;
} chain_t;

typedef struct {
    size_t a, b;
} pair_t;

static size_t *hash_slots;
static size_t hash_cap;

static size_t word_id(chain_t *c, const char *w)
{
    if ((c->nwords + 1) * 2 > hash_cap) {
        size_t ncap = hash_cap ? hash_cap * 2 : 4096;
        size_t *ns = malloc(ncap * sizeof *ns);
        if (!ns)
            abort();
        for (size_t i = 0; i < ncap; i++)
            ns[i] = SIZE_MAX;
        for (size_t i = 0; i < c->nwords; i++) {
            size_t j = lzs_hash_str(c->words[i]) & (ncap - 1);
            while (ns[j] != SIZE_MAX)
                j = (j + 1) & (ncap - 1);
            ns[j] = i;
        }
        free(hash_slots);
        hash_slots = ns;
        hash_cap = ncap;
    }
    size_t j = lzs_hash_str(w) & (hash_cap - 1);
    while (hash_slots[j] != SIZE_MAX) {
        if (strcmp(c->words[hash_slots[j]], w) == 0)
            return hash_slots[j];
        j = (j + 1) & (hash_cap - 1);
    }
    if (c->nwords == c->capwords) {
        c->capwords = c->capwords ? c->capwords * 2 : 4096;
        c->words = realloc(c->words, c->capwords * sizeof *c->words);
        if (!c->words)
            abort();
    }
    c->words[c->nwords] = strdup(w);
    hash_slots[j] = c->nwords;
    return c->nwords++;
}

static int pair_cmp(const void *x, const void *y)
{
    const pair_t *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

static int is_word_byte(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch >= 0x80 || ch == '-' || ch == '\'' || ch == '(' || ch == ')';
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Learns the chain from every *.txt / *.md of dir (sorted, for determinism). */
static int chain_learn(chain_t *c, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    char **names = NULL;
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l > 4 &&
            (strcmp(e->d_name + l - 4, ".txt") == 0 || strcmp(e->d_name + l - 3, ".md") == 0)) {
            names = realloc(names, (nn + 1) * sizeof *names);
            names[nn++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, nn, sizeof *names, str_cmp);
    pair_t *pairs = NULL;
    size_t np = 0, capp = 0;
    for (size_t f = 0; f < nn; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[f]);
        FILE *fp = fopen(path, "rb");
        free(names[f]);
        if (!fp)
            continue;
        char word[256];
        size_t wl = 0;
        size_t prev = SIZE_MAX;
        int in_tag = 0, sentence_start = 1;
        int ch;
        while ((ch = fgetc(fp)) != EOF) {
            if (ch == '<')
                in_tag = 1;
            if (in_tag) {
                if (ch == '>')
                    in_tag = 0;
                continue;
            }
            if (is_word_byte((unsigned char)ch) && wl + 1 < sizeof word) {
                word[wl++] = (char)ch;
                continue;
            }
            if (wl > 0) {
                word[wl] = '\0';
                /* words made of letters (and inner hyphens/apostrophes) only */
                int ok = (word[0] != '-' && word[0] != '\'' && word[0] != '(' && word[0] != ')');
                if (ok) {
                    size_t id = word_id(c, word);
                    if (sentence_start && word[0] >= 'A' && word[0] <= 'Z') {
                        c->starts = realloc(c->starts, (c->nstarts + 1) * sizeof *c->starts);
                        c->starts[c->nstarts++] = id;
                    }
                    if (prev != SIZE_MAX) {
                        if (np == capp) {
                            capp = capp ? capp * 2 : 65536;
                            pairs = realloc(pairs, capp * sizeof *pairs);
                        }
                        pairs[np].a = prev;
                        pairs[np].b = id;
                        np++;
                    }
                    prev = id;
                    sentence_start = 0;
                }
                wl = 0;
            }
            if (ch == '.' || ch == '\n' || ch == ';' || ch == ':') {
                prev = SIZE_MAX;
                sentence_start = 1;
            }
        }
        fclose(fp);
    }
    free(names);
    qsort(pairs, np, sizeof *pairs, pair_cmp);
    c->next_off = calloc(c->nwords + 1, sizeof *c->next_off);
    c->next_len = calloc(c->nwords + 1, sizeof *c->next_len);
    c->succ = malloc((np + 1) * sizeof *c->succ);
    for (size_t i = 0; i < np; i++) {
        if (c->next_len[pairs[i].a] == 0)
            c->next_off[pairs[i].a] = i;
        c->next_len[pairs[i].a]++;
        c->succ[i] = pairs[i].b;
    }
    free(pairs);
    return c->nwords > 100 && c->nstarts > 0 ? 0 : -1;
}

/* One English sentence of about n words. */
static void en_sentence(FILE *out, const chain_t *c, size_t n)
{
    size_t w = c->starts[rnd_below(c->nstarts)];
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%s%s", i ? " " : "", c->words[w]);
        if (c->next_len[w] == 0)
            w = c->starts[rnd_below(c->nstarts)];
        else
            w = c->succ[c->next_off[w] + rnd_below(c->next_len[w])];
    }
    fputc('.', out);
}

/* ---- French pieces -------------------------------------------------------------------------- */

static const char *const fr_start[] = {
    "Le Comité de Lanzarote rappelle que",
    "Le Comité souligne que",
    "Les Parties ont indiqué que",
    "Conformément à l'article 38 de la Convention,",
    "Dans le cadre du deuxième cycle de suivi,",
    "Selon les informations reçues,",
    "Le Comité note avec satisfaction que",
    "Il ressort des réponses au questionnaire que",
    "En ce qui concerne la coopération internationale,",
    "S'agissant des images et vidéos sexuelles autoproduites par des enfants,",
};
static const char *const fr_middle[] = {
    "la coopération internationale est essentielle",
    "les victimes doivent pouvoir porter plainte devant les autorités compétentes",
    "les enfants doivent être protégés contre l'exploitation et les abus sexuels",
    "les recommandations du Comité ont été largement mises en œuvre",
    "la sollicitation d'enfants à des fins sexuelles est érigée en infraction",
    "la formation des professionnels travaillant avec des enfants reste insuffisante",
    "les technologies de l'information et de la communication facilitent ces infractions",
    "la recommandation précédente n'a pas encore été suivie",
    "les matériels d'abus sexuels sur enfants circulent en ligne",
    "l'entraide judiciaire en matière pénale doit être renforcée",
    "les données relatives aux auteurs d'infractions sont conservées",
    "la participation des enfants à l'élaboration des politiques est encouragée",
};
static const char *const fr_end[] = {
    "dans toutes les Parties",
    "conformément aux obligations de la Convention",
    "en particulier dans les affaires transfrontières",
    "avec l'appui du Secrétariat",
    "sans préjudice des règles de l'Union européenne",
    "afin de mieux protéger les victimes",
    "dès que possible",
    "",
};

static void fr_sentence(FILE *out)
{
    const char *e = fr_end[rnd_below(sizeof fr_end / sizeof fr_end[0])];
    fprintf(out, "%s %s%s%s.", fr_start[rnd_below(sizeof fr_start / sizeof fr_start[0])],
            fr_middle[rnd_below(sizeof fr_middle / sizeof fr_middle[0])], *e ? " " : "", e);
}

static void sentences(FILE *out, const chain_t *c, int fr, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(' ', out);
        if (fr)
            fr_sentence(out);
        else
            en_sentence(out, c, 12 + rnd_below(22));
    }
}

/* ---- documents --------------------------------------------------------------------------- */

static const lzs_extractor_t *g_ex;

static const char *party_name(void)
{
    size_t n = lzs_extract_party_count(g_ex);
    for (int tries = 0; tries < 8; tries++) {
        const char *code = lzs_extract_party_at(g_ex, rnd_below(n));
        const char *name = code ? lzs_extract_party_name(g_ex, code) : NULL;
        if (name)
            return name;
    }
    return "Norway";
}

static const int articles[] = {18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30, 31, 32,
                               33, 34, 35, 36, 37, 38, 5,  6,  9,  10, 12, 13, 14};

static void article_cite(FILE *out, int fr)
{
    int a = articles[rnd_below(sizeof articles / sizeof articles[0])];
    if (rnd_below(3) == 0)
        fprintf(out, fr ? " (article %d(%d))" : " (Article %d(%d))", a, 1 + (int)rnd_below(3));
    else
        fprintf(out, fr ? " (article %d)" : " (Article %d)", a);
}

/* A citation of one of the first 400 documents of the corpus (or of one beyond it, not in
 * the collection), by code or, now and then, of the opinion on Article 23 by title: the
 * cites facet then has hundreds of values to label. */
static void document_cite(FILE *out, int fr)
{
    long g = (long)rnd_below(400);
    if (rnd_below(8) == 0)
        fprintf(out, fr ? " Le Comité rappelle son avis sur l'article 23."
                        : " The Committee recalled its opinion on Article 23.");
    else
        fprintf(out, " (document T-ES(%d)%ld)", 2013 + (int)(g % 11), 100 + g);
}

static void parties_list(FILE *out, int fr)
{
    size_t n = 1 + rnd_below(6);
    for (size_t i = 0; i < n; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? (fr ? " et " : " and ") : ", ";
        fprintf(out, "%s%s", sep, party_name());
    }
}

static const char *const months_en[] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};
static const char *const months_fr[] = {"janvier",   "février", "mars",     "avril",
                                        "mai",       "juin",    "juillet",  "août",
                                        "septembre", "octobre", "novembre", "décembre"};

static int write_sidecar(const char *path, const char *ref, const char *title, const char *type,
                         int year, int month, int day, const char *lang)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f,
            "{\"reference\": \"%s\", \"title\": \"%s\", \"type\": \"%s\", \"date\": "
            "\"%04d-%02d-%02d\", \"language\": \"%s\"}\n",
            ref, title, type, year, month, day, lang);
    return fclose(f);
}

static int gen_decisions(FILE *out, const chain_t *c, int fr, const char *ref, int year, int month,
                         int day)
{
    int meeting = 10 + (int)rnd_below(40);
    fprintf(out, "\n%s\n\n%d %s %d\n\nLANZAROTE COMMITTEE\n\n", ref, day,
            fr ? months_fr[month - 1] : months_en[month - 1], year);
    fprintf(out,
            fr ? "Liste des décisions\n\n%de réunion\n\n" : "List of decisions\n\n%dth meeting\n\n",
            meeting);
    fprintf(out, fr ? "Au cours de cette réunion, le Comité de Lanzarote :\n\n"
                    : "During this meeting, the Lanzarote Committee:\n\n");
    int para = 1;
    int items = 6 + (int)rnd_below(5);
    for (int it = 1; it <= items; it++) {
        fprintf(out, "%d. ", it);
        sentences(out, c, fr, 1);
        fprintf(out, "\n\n");
        int paras = 8 + (int)rnd_below(10);
        for (int p = 0; p < paras; p++, para++) {
            fprintf(out, "%d. ", para);
            sentences(out, c, fr, 1 + rnd_below(3));
            if (rnd_below(3) == 0) {
                fputc(' ', out);
                parties_list(out, fr);
                fprintf(out, fr ? " ont présenté leurs progrès." : " presented their progress.");
            }
            if (rnd_below(3) == 0)
                article_cite(out, fr);
            if (rnd_below(4) == 0)
                document_cite(out, fr);
            fprintf(out, "\n\n");
        }
    }
    return 0;
}

static int gen_factsheet(FILE *out, const chain_t *c, int fr, const char *ref, int round)
{
    (void)ref;
    fprintf(out, fr ? "## **FICHE THÉMATIQUE – COOPÉRATION INTERNATIONALE**\n\n"
                    : "## **FACTSHEET – INTERNATIONAL CO-OPERATION**\n\n");
    fprintf(out, fr ? "### **Constats du Comité de Lanzarote**\n\n"
                    : "### **Lanzarote Committee monitoring findings**\n\n");
    int rec = 1, note = 1;
    int sections = 5 + (int)rnd_below(4);
    static const char *const roman[] = {"I",  "II",  "III",  "IV", "V",
                                        "VI", "VII", "VIII", "IX", "X"};
    char footnotes[64][64];
    int nfoot = 0;
    for (int s = 0; s < sections; s++) {
        fprintf(out, "## %s. ", roman[s % 10]);
        sentences(out, c, fr, 1);
        fprintf(out, "\n\n");
        int paras = 5 + (int)rnd_below(8);
        for (int p = 0; p < paras; p++) {
            sentences(out, c, fr, 2 + rnd_below(3));
            if (rnd_below(2) == 0)
                article_cite(out, fr);
            fprintf(out, "\n\n");
        }
        if (rnd_below(4) == 0) {
            fprintf(out,
                    fr ? "### Exemple de pratique prometteuse\n\nEn **%s**, "
                       : "### Example of a promising practice identified by the Lanzarote "
                         "Committee\n\nIn **%s**, ",
                    party_name());
            sentences(out, c, fr, 2);
            fprintf(out, "\n\n");
        }
        fprintf(out, fr ? "### Recommandations du Comité de Lanzarote\n\n"
                        : "### Recommendations of the Lanzarote Committee\n\n");
        int blocks = 1 + (int)rnd_below(3);
        for (int b = 0; b < blocks; b++) {
            static const char *const en_verbs[] = {"requires", "requests", "invites"};
            static const char *const fr_verbs[] = {"exige", "demande", "invite"};
            int v = (int)rnd_below(3);
            int all = rnd_below(3) == 0;
            if (all)
                fprintf(out,
                        fr ? "Le Comité **%s** toutes les Parties :\n\n"
                           : "The Committee **%s** all Parties:\n\n",
                        (fr ? fr_verbs : en_verbs)[v]);
            else
                fprintf(out, fr ? "Le Comité **%s** :\n\n" : "The Committee **%s**:\n\n",
                        (fr ? fr_verbs : en_verbs)[v]);
            int items = 1 + (int)rnd_below(3);
            for (int i = 0; i < items; i++) {
                fprintf(out, "▪ ");
                if (!all) {
                    parties_list(out, fr);
                    fputc(' ', out);
                }
                fprintf(out, "%s", fr ? "à " : "to ");
                sentences(out, c, fr, 1);
                fprintf(out, "<sup>%d</sup>\n\n", note);
                if (nfoot < 64) {
                    snprintf(footnotes[nfoot++], sizeof footnotes[0], "<sup>%d</sup> %s %s-%d.",
                             note, fr ? "Recommandation" : "Recommendation", roman[round % 10],
                             rec);
                }
                note++;
                rec++;
            }
        }
    }
    fprintf(out, "---\n\n");
    for (int i = 0; i < nfoot; i++)
        fprintf(out, "%s\n\n", footnotes[i]);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: lzs-bench-gen [--seed N] [--seeds DIR] [--data DIR] OUTDIR NFILES\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *seeds = LZS_SOURCE_DIR "/corpus";
    const char *data = NULL;
    uint64_t seed = 1;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (i + 1 >= argc)
            return usage();
        if (strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--seeds") == 0)
            seeds = argv[i + 1];
        else if (strcmp(argv[i], "--data") == 0)
            data = argv[i + 1];
        else
            return usage();
    }
    if (argc - i != 2)
        return usage();
    const char *outdir = argv[i];
    long nfiles = strtol(argv[i + 1], NULL, 10);
    if (nfiles <= 0)
        return usage();
    rng = bench_rng_seed(seed);

    lzs_extractor_t *ex = NULL;
    char *msg = NULL;
    if (lzs_extract_open(data, &ex, &msg) != LZS_OK) {
        fprintf(stderr, "lzs-bench-gen: %s\n", msg ? msg : "cannot load the domain data");
        free(msg);
        return 1;
    }
    g_ex = ex;
    chain_t chain = {0};
    if (chain_learn(&chain, seeds) != 0) {
        fprintf(stderr, "lzs-bench-gen: cannot learn vocabulary from %s\n", seeds);
        return 1;
    }
    if (lzs_mkdirs(outdir) != LZS_OK) {
        fprintf(stderr, "lzs-bench-gen: cannot create %s: %s\n", outdir, strerror(errno));
        return 1;
    }
    for (long f = 0; f < nfiles; f++) {
        int fr = (f % 10) < 3;
        int decisions = (f % 2) == 0;
        int year = 2013 + (int)(f % 11);
        int month = 1 + (int)rnd_below(12), day = 1 + (int)rnd_below(28);
        char ref[64], name[4096], side[4096];
        snprintf(ref, sizeof ref, "T-ES(%d)%ld_%s", year, 100 + f, fr ? "fr" : "en");
        snprintf(name, sizeof name, "%s/gen_%06ld_%s.txt", outdir, f, fr ? "fr" : "en");
        snprintf(side, sizeof side, "%s/gen_%06ld_%s.meta.json", outdir, f, fr ? "fr" : "en");
        FILE *out = fopen(name, "w");
        if (!out) {
            fprintf(stderr, "lzs-bench-gen: cannot write %s: %s\n", name, strerror(errno));
            return 1;
        }
        if (decisions)
            gen_decisions(out, &chain, fr, ref, year, month, day);
        else
            gen_factsheet(out, &chain, fr, ref, (int)(f % 10));
        if (fclose(out) != 0 ||
            write_sidecar(side, ref,
                          decisions ? (fr ? "Liste des décisions" : "List of decisions")
                                    : (fr ? "Fiche thématique" : "Thematic factsheet"),
                          decisions ? "decisions" : "factsheet", year, month, day,
                          fr ? "fr" : "en") != 0) {
            fprintf(stderr, "lzs-bench-gen: cannot write %s\n", name);
            return 1;
        }
    }
    lzs_extract_close(ex);
    for (size_t w = 0; w < chain.nwords; w++)
        free(chain.words[w]);
    free(chain.words);
    free(chain.next_off);
    free(chain.next_len);
    free(chain.succ);
    free(chain.starts);
    free(hash_slots);
    printf("%ld files written to %s\n", nfiles, outdir);
    return 0;
}
