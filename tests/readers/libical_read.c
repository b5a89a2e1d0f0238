/* Evolution's parser, libical, as an independent reader of our calendars.
 *
 *   libical_read FILE.ics   ->  JSON on stdout:
 *   {"method": "REQUEST", "errors": [...], "events": [{"uid": ..., "start": "...Z", ...}]}
 *
 * Runs libical's iTIP restriction check (icalrestriction_check) when the calendar
 * has a METHOD, and reports every X-LIC-ERROR libical attached anywhere. A TZID
 * is resolved only through the calendar's own VTIMEZONE (never libical's built-in
 * zone database), so a missing or misread VTIMEZONE shows up as an error or a
 * wrong instant. Build: cc libical_read.c $(pkg-config --cflags --libs libical)
 */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void json_str(const char *s) {
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') printf("\\%c", *p);
        else if (*p < 0x20) printf("\\u%04x", *p);
        else putchar(*p);
    }
    putchar('"');
}

static int n_errors = 0;

static void collect_errors(icalcomponent *c) {
    for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
        if (n_errors++) putchar(',');
        char buf[1024];
        snprintf(buf, sizeof buf, "%s: %s", icalcomponent_kind_to_string(icalcomponent_isa(c)),
                 icalproperty_get_xlicerror(p));
        json_str(buf);
    }
    for (icalcomponent *s = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); s;
         s = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
        collect_errors(s);
}

/* A DTSTART/DTEND as a UTC instant, through the calendar's own VTIMEZONE. */
static void instant(icalcomponent *cal, icalproperty *p, const char *key) {
    printf(",\"%s\":", key);
    if (!p) { printf("null"); return; }
    struct icaltimetype t = icalvalue_get_datetime(icalproperty_get_value(p));
    icalparameter *tzp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
    icaltimezone *zone = icaltimezone_get_utc_timezone();
    char out[64];
    if (tzp) {
        const char *tzid = icalparameter_get_tzid(tzp);
        zone = icalcomponent_get_timezone(cal, tzid);
        if (!zone) {
            snprintf(out, sizeof out, "no VTIMEZONE for %s", tzid);
            json_str(out);
            return;
        }
    } else if (!icaltime_is_utc(t)) {
        json_str("floating");
        return;
    }
    time_t secs = icaltime_as_timet_with_zone(t, zone);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_str(out);
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc(n + 1);
    if (fread(buf, 1, n, f) != (size_t)n) { perror(path); exit(2); }
    buf[n] = 0;
    fclose(f);
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s FILE.ics\n", argv[0]); return 2; }
    char *text = slurp(argv[1]);
    icalcomponent *cal = icalparser_parse_string(text);
    if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
        fprintf(stderr, "libical: not a VCALENDAR\n");
        return 1;
    }
    icalproperty *mp = icalcomponent_get_first_property(cal, ICAL_METHOD_PROPERTY);
    if (mp) icalrestriction_check(cal);  /* adds X-LIC-ERROR properties on violations */

    printf("{\"reader\":\"libical %s\",\"method\":", ICAL_VERSION);
    if (mp) json_str(icalproperty_method_to_string(icalproperty_get_method(mp)));
    else printf("null");
    printf(",\"errors\":[");
    collect_errors(cal);
    printf("],\"events\":[");
    int first = 1;
    for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        if (!first) putchar(',');
        first = 0;
        printf("{\"uid\":");
        json_str(icalcomponent_get_uid(ev));
        icalproperty *seq = icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY);
        printf(",\"sequence\":");
        if (seq) printf("%d", icalproperty_get_sequence(seq)); else printf("null");
        printf(",\"status\":");
        icalproperty *st = icalcomponent_get_first_property(ev, ICAL_STATUS_PROPERTY);
        if (st) json_str(icalproperty_status_to_string(icalproperty_get_status(st)));
        else printf("null");
        printf(",\"summary\":");
        json_str(icalcomponent_get_summary(ev));
        printf(",\"location\":");
        json_str(icalcomponent_get_location(ev));
        printf(",\"description\":");
        json_str(icalcomponent_get_description(ev));
        instant(cal, icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY), "start");
        instant(cal, icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY), "end");
        printf(",\"organizer\":");
        icalproperty *org = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
        if (org) {
            icalparameter *cn = icalproperty_get_first_parameter(org, ICAL_CN_PARAMETER);
            printf("{\"address\":");
            json_str(icalproperty_get_organizer(org));
            printf(",\"cn\":");
            json_str(cn ? icalparameter_get_cn(cn) : "");
            printf("}");
        } else printf("null");
        printf(",\"attendees\":[");
        int afirst = 1;
        for (icalproperty *a = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); a;
             a = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
            if (!afirst) putchar(',');
            afirst = 0;
            icalparameter *cn = icalproperty_get_first_parameter(a, ICAL_CN_PARAMETER);
            printf("{\"address\":");
            json_str(icalproperty_get_attendee(a));
            printf(",\"cn\":");
            json_str(cn ? icalparameter_get_cn(cn) : "");
            printf("}");
        }
        printf("]}");
    }
    printf("]}\n");
    icalcomponent_free(cal);
    free(text);
    return 0;
}
