// Mozilla's ical.js (Thunderbird's parser) as an independent reader of our calendars.
//
//   node icaljs_read.mjs FILE.ics  ->  JSON on stdout, the same shape as libical_read:
//   {"method": "REQUEST", "errors": [...], "events": [{"uid": ..., "start": "...Z", ...}]}
//
// A TZID is resolved only through the calendar's own VTIMEZONE, registered the way
// Thunderbird does; a TZID without one is reported instead of read as floating time.
import fs from "node:fs";
import ICAL from "ical.js";

const text = fs.readFileSync(process.argv[2], "utf8");
const root = new ICAL.Component(ICAL.parse(text));
const errors = [];
const zones = new Set();
for (const vtz of root.getAllSubcomponents("vtimezone")) {
  const tzid = vtz.getFirstPropertyValue("tzid");
  ICAL.TimezoneService.register(vtz);
  zones.add(tzid);
}

function instant(vevent, name) {
  const prop = vevent.getFirstProperty(name);
  if (!prop) return null;
  const tzid = prop.getParameter("tzid");
  const time = prop.getFirstValue();
  if (tzid && !zones.has(tzid)) return `no VTIMEZONE for ${tzid}`;
  if (!tzid && time.zone !== ICAL.Timezone.utcTimezone) return "floating";
  return time.toJSDate().toISOString().replace(".000Z", "Z");
}

function address(prop) {
  return { address: prop.getFirstValue(), cn: prop.getParameter("cn") ?? "" };
}

const events = root.getAllSubcomponents("vevent").map((v) => {
  const organizer = v.getFirstProperty("organizer");
  const seq = v.getFirstPropertyValue("sequence");
  return {
    uid: v.getFirstPropertyValue("uid"),
    sequence: seq === null ? null : Number(seq),
    status: v.getFirstPropertyValue("status"),
    summary: v.getFirstPropertyValue("summary") ?? "",
    location: v.getFirstPropertyValue("location") ?? "",
    description: v.getFirstPropertyValue("description") ?? "",
    start: instant(v, "dtstart"),
    end: instant(v, "dtend"),
    organizer: organizer ? address(organizer) : null,
    attendees: v.getAllProperties("attendee").map(address),
  };
});

process.stdout.write(
  JSON.stringify({
    reader: "ical.js",
    method: root.getFirstPropertyValue("method"),
    errors,
    events,
  }) + "\n",
);
