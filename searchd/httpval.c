/* httpval.c — values of HTTP headers (see httpval.h). */
#include "httpval.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Written out rather than taken from strftime/strptime: HTTP dates are in English
 * whatever the locale. */
static const char *const k_days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const k_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void lzs_sd_httpval_format_date(time_t t, char *buf, size_t cap)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(buf, cap, "%s, %02d %s %04d %02d:%02d:%02d GMT", k_days[tm.tm_wday], tm.tm_mday,
             k_months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int lzs_sd_httpval_parse_date(const char *s, time_t *t)
{
    char day[4], mon[4], zone[4];
    int mday, year, hh, mm, ss, used = 0;
    if (!s || sscanf(s, "%3s, %2d %3s %4d %2d:%2d:%2d %3s%n", day, &mday, mon, &year, &hh, &mm, &ss,
                     zone, &used) != 8)
        return -1;
    if (strlen(day) != 3 || s[3] != ',' || s[used] != '\0' || strcmp(zone, "GMT") != 0)
        return -1;
    int m = -1;
    for (int i = 0; i < 12; i++)
        if (strcmp(mon, k_months[i]) == 0)
            m = i;
    if (m < 0 || mday < 1 || mday > 31 || hh > 23 || mm > 59 || ss > 60 || year < 1970)
        return -1;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = year - 1900;
    tm.tm_mon = m;
    tm.tm_mday = mday;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = ss;
    *t = timegm(&tm);
    return 0;
}

/* The next comma-separated element of *p (spaces around it trimmed) into [*start, *end);
 * 0 when there is none left. */
static int next_element(const char **p, const char **start, const char **end)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t' || *s == ',')
        s++;
    if (!*s)
        return 0;
    const char *e = s;
    while (*e && *e != ',')
        e++;
    *p = e;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *start = s;
    *end = e;
    return 1;
}

int lzs_sd_httpval_accepts(const char *ae, const char *coding)
{
    const char *s, *e;
    int named = -1, star = -1; /* -1: not listed; else whether its q is above 0 */
    size_t n = strlen(coding);
    while (ae && next_element(&ae, &s, &e)) {
        const char *semi = memchr(s, ';', (size_t)(e - s));
        const char *name_end = semi ? semi : e;
        while (name_end > s && (name_end[-1] == ' ' || name_end[-1] == '\t'))
            name_end--;
        int allowed = 1;
        if (semi) {
            /* "q=0", "q=0.0", "q=0.000": not acceptable; any other q is */
            const char *q = semi + 1;
            while (q < e && (*q == ' ' || *q == '\t'))
                q++;
            if (e - q >= 2 && (q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
                allowed = 0;
                for (const char *d = q + 2; d < e; d++)
                    if (*d >= '1' && *d <= '9')
                        allowed = 1;
            }
        }
        size_t len = (size_t)(name_end - s);
        if (len == n && strncasecmp(s, coding, n) == 0)
            named = allowed;
        else if (len == 1 && *s == '*')
            star = allowed;
    }
    return named >= 0 ? named : star == 1;
}

int lzs_sd_httpval_etag_matches(const char *inm, const char *etag)
{
    const char *s, *e;
    size_t n = strlen(etag);
    while (inm && next_element(&inm, &s, &e)) {
        if (e - s == 1 && *s == '*')
            return 1;
        if (e - s >= 2 && s[0] == 'W' && s[1] == '/')
            s += 2;
        if ((size_t)(e - s) == n && memcmp(s, etag, n) == 0)
            return 1;
    }
    return 0;
}
