/**
 * The demo page's "Recent activity" in a real browser: the signed-in user's security events from
 * GET /events, in words, with their local time, passkey, browser and address; failures drawn to stand
 * out; "Show more" paging on; and nothing of one user's trail ever in another user's list.
 *
 * Run with `npm run test:e2e`; skipped under the unit-test config (see passkeys.e2e.test.ts).
 */
import { describe, expect, it } from "vitest";
import { freePort, settled, signUp, statusText, uniqueUsername, useDemo, type VirtualCredential, type Visit } from "./support.js";

interface EventJson {
  eventId: string;
  type: string;
  at: string;
  credentialId?: string;
  passkeyName?: string;
  authenticatorName?: string;
  code?: string;
  previousName?: string;
  changed?: string[];
  sourceIp: string | null;
  userAgent: string | null;
  correlationId: string | null;
}
interface EventsJson {
  events: EventJson[];
  nextCursor: string | null;
}
interface TokensJson {
  idToken: string;
  refreshToken: string;
}
interface ErrorJson {
  error: { code: string };
}

/** One item of the list as the page shows it. */
interface ShownEvent {
  eventId: string | null;
  type: string | null;
  code: string | null;
  failed: boolean;
  /** Whether the warning sign is drawn before the words. */
  marker: boolean;
  text: string;
  datetime: string | null;
  when: string | null;
  passkey: string | null;
  source: string;
  browserTitle: string | null;
}

/** The page's page size ("Show more" asks for this many more). */
const PAGE_SIZE = 10;

/** Another client's User-Agent, for calls made straight to the API. */
const FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

describe.skipIf(process.env.KEYPORT_E2E !== "1")("recent activity on the demo page", () => {
  const demo = useDemo();
  const { withVisit } = demo;

  /** A call straight to the API as another client (Firefox on Windows) would make it. */
  async function api(method: string, path: string, idToken: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${demo.keyport.origin}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${idToken}`,
        "User-Agent": FIREFOX_ON_WINDOWS,
        Origin: demo.keyport.origin,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: await response.json() };
  }

  /** The user's whole trail as the API gives it, newest first. */
  async function trail(idToken: string): Promise<EventJson[]> {
    const { status, json } = await api("GET", "/events?limit=100", idToken);
    expect(status).toBe(200);
    return (json as EventsJson).events;
  }

  async function clickAndSettle(v: Visit, selector: string): Promise<void> {
    await v.page.locator(selector).click();
    await settled(v.page);
  }

  async function expectSignedIn(v: Visit): Promise<void> {
    expect(await statusText(v.page)).toBe("Signed in with your passkey.");
    expect(await v.page.locator("#signed-in").isVisible()).toBe(true);
  }

  /** Signs up through the form and signs in with the new passkey; the user's handle, passkey and first ID token. */
  async function signUpAndIn(v: Visit, username: string, displayName: string): Promise<{ userId: string; credentialId: string; idToken: string }> {
    const before = v.callsTo("/registration/finish").length;
    await signUp(v.page, username, displayName);
    expect(await statusText(v.page)).toBe(`Account created for ${username}. Sign in with your new passkey.`);
    const finish = (await v.waitForCalls("/registration/finish", before + 1)).at(-1)!;
    expect(finish.status).toBe(200);
    const signIns = v.callsTo("/authentication/finish").length;
    await clickAndSettle(v, "#sign-in-passkey");
    await expectSignedIn(v);
    const signIn = (await v.waitForCalls("/authentication/finish", signIns + 1)).at(-1)!;
    const { userId, credentialId } = finish.response as { userId: string; credentialId: string };
    return { userId, credentialId, idToken: (signIn.response as TokensJson).idToken };
  }

  async function addPasskeyOnNewDevice(v: Visit): Promise<string> {
    const before = v.callsTo("/registration/finish").length;
    await v.device.swap();
    await clickAndSettle(v, "#add-passkey");
    expect(await statusText(v.page)).toBe("Passkey added. You can now sign in with it on this device.");
    const finish = (await v.waitForCalls("/registration/finish", before + 1)).at(-1)!;
    return (finish.response as { credentialId: string }).credentialId;
  }

  async function onlyCredential(v: Visit): Promise<VirtualCredential> {
    const [credential, ...others] = await v.device.credentials();
    expect(others).toHaveLength(0);
    return credential!;
  }

  /** Puts this passkey (alone) on the device and signs in with it, discoverably. */
  async function signInWith(v: Visit, credential: VirtualCredential): Promise<void> {
    await v.device.swap();
    await v.device.add(credential);
    await clickAndSettle(v, "#sign-in-passkey");
  }

  /** The list as the page shows it, top (newest) first. */
  function shown(v: Visit): Promise<ShownEvent[]> {
    return v.page.locator("#activity > li").evaluateAll((items) =>
      items.map((li) => ({
        eventId: li.getAttribute("data-event-id"),
        type: li.getAttribute("data-type"),
        code: li.getAttribute("data-code"),
        failed: li.classList.contains("activity-failed"),
        marker: li.querySelector(".activity-what svg.activity-marker") !== null,
        text: li.querySelector(".activity-text")?.textContent ?? "",
        datetime: li.querySelector(".activity-when time")?.getAttribute("datetime") ?? null,
        when: li.querySelector(".activity-when time")?.textContent ?? null,
        passkey: li.querySelector(".activity-passkey")?.textContent ?? null,
        source: li.querySelector(".activity-source")?.textContent ?? "",
        browserTitle: li.querySelector(".activity-browser")?.getAttribute("title") ?? null,
      })),
    );
  }

  const shownTexts = async (v: Visit) => (await shown(v)).map((event) => event.text);

  /** The words this browser is described by: Chromium's headless mode says so in its User-Agent. */
  async function thisBrowser(v: Visit): Promise<{ userAgent: string; description: string }> {
    const userAgent = await v.page.evaluate(() => navigator.userAgent);
    expect(userAgent).toMatch(/Linux/);
    return { userAgent, description: userAgent.includes("HeadlessChrome/") ? "Headless Chrome on Linux" : "Chrome on Linux" };
  }

  /** The passkey names and authenticator names of the user's passkeys, from the page's last GET /credentials. */
  async function passkeyNames(v: Visit): Promise<Map<string, { name: string; authenticator: string }>> {
    const listing = (await v.waitForCalls("/credentials", 1, "GET")).at(-1)!;
    const { credentials } = listing.response as { credentials: { credentialId: string; name: string; authenticator: { name: string } }[] };
    return new Map(credentials.map((c) => [c.credentialId, { name: c.name, authenticator: c.authenticator.name }]));
  }

  it("after sign-up and sign-in, shows both with the passkey, its authenticator, the local time, the browser and the address", async () => {
    const locale = "de-DE";
    const timeZone = "Asia/Kolkata"; // half an hour off UTC: a time shown in UTC would not match
    await withVisit(
      async (v) => {
        const { credentialId, idToken } = await signUpAndIn(v, uniqueUsername("ada"), "Ada");
        const { name, authenticator } = (await passkeyNames(v)).get(credentialId)!;
        const { userAgent, description } = await thisBrowser(v);

        // The page asked as the user, for its first page.
        const [list] = await v.waitForCalls("/events", 1, "GET");
        expect(list?.authorization).toBe(`Bearer ${idToken}`);
        expect(list?.search).toBe(`?limit=${PAGE_SIZE}`);
        const events = (list!.response as EventsJson).events;
        expect(events.map((e) => [e.type, e.credentialId])).toEqual([
          ["sign_in.succeeded", credentialId],
          ["registration.succeeded", credentialId],
        ]);
        expect(new Set(events.map((e) => e.sourceIp)).size).toBe(1);
        const sourceIp = events[0]!.sourceIp;
        expect(sourceIp).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);

        const format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium", timeZone });
        const expected = (event: EventJson, text: string): ShownEvent => ({
          eventId: event.eventId,
          type: event.type,
          code: null,
          failed: false,
          marker: false,
          text,
          datetime: event.at,
          when: format.format(new Date(event.at)),
          passkey: `Passkey “${name}” · ${authenticator}`,
          source: `From ${description}, network address ${sourceIp}`,
          browserTitle: userAgent, // the raw string, for whoever wants it
        });
        expect(await shown(v)).toEqual([expected(events[0]!, "Signed in"), expected(events[1]!, "Account created")]);
        expect(events.every((e) => e.userAgent === userAgent)).toBe(true);
        expect(await v.page.locator("#activity-more").isVisible()).toBe(false); // one page holds it all
        expect(v.problems).toEqual([]);
      },
      { locale, timezoneId: timeZone },
    );
  });

  it("shows a sign-in with a disabled passkey as a failed sign-in that stands out, then the sign-in that worked; the sign-out is there too", async () => {
    await withVisit(async (v) => {
      const { credentialId: first } = await signUpAndIn(v, uniqueUsername("dora"), "Dora");
      const firstCredential = await onlyCredential(v);
      const second = await addPasskeyOnNewDevice(v);
      const secondCredential = await onlyCredential(v);
      const names = await passkeyNames(v);
      const firstName = names.get(first)!.name;
      const secondName = names.get(second)!.name;
      await clickAndSettle(v, `li.passkey[data-credential-id="${first}"] button[data-action="toggle"]`);
      expect((await shownTexts(v))[0]).toBe("Passkey disabled");

      await clickAndSettle(v, "#sign-out");
      expect(await v.page.locator("#activity > li").count()).toBe(0); // nothing stays on the signed-out page
      await signInWith(v, firstCredential);
      expect(await statusText(v.page)).toMatch(/\(credential_disabled\)$/);
      await signInWith(v, secondCredential);
      await expectSignedIn(v);

      const list = await shown(v);
      expect(list.map((e) => [e.type, e.text, e.passkey?.replace(/ · .*/, "")])).toEqual([
        ["sign_in.succeeded", "Signed in", `Passkey “${secondName}”`],
        ["sign_in.failed", "Sign-in failed: this passkey is disabled", `Passkey “${firstName}”`],
        ["signed_out", "Signed out", undefined],
        ["passkey.disabled", "Passkey disabled", `Passkey “${firstName}”`],
        ["passkey.added", "Passkey added", `Passkey “${secondName}”`],
        ["sign_in.succeeded", "Signed in", `Passkey “${firstName}”`],
        ["registration.succeeded", "Account created", `Passkey “${firstName}”`],
      ]);
      // The failure, and only the failure, stands out: its class, a warning sign, and a rule beside it.
      const failed = list[1]!;
      expect([failed.failed, failed.marker, failed.code]).toEqual([true, true, "credential_disabled"]);
      expect(list.filter((e) => e.failed || e.marker)).toEqual([failed]);
      const rule = (index: number) =>
        v.page.locator("#activity > li").nth(index).evaluate((li) => [getComputedStyle(li).borderLeftStyle, getComputedStyle(li).borderLeftColor]);
      const [failedRule, plainRule] = [await rule(1), await rule(0)];
      expect(failedRule[0]).toBe("solid");
      expect(failedRule[1]).not.toBe(plainRule[1]);
      expect(await v.page.locator("#activity > li.activity-failed svg.activity-marker").getAttribute("aria-hidden")).toBe("true");
      // The sign-out carried the ID token, which is how the trail knows it was this user's.
      expect((await v.waitForCalls("/authentication/sign-out"))[0]?.authorization).toMatch(/^Bearer /);
      // (The refused sign-in's 401 is in the browser's console, as every refused request is: no page problem.)
      expect(v.problems.filter((problem) => !problem.includes("status of 401"))).toEqual([]);
    });
  });

  it("shows a sign-in from a look-alike site (another origin relaying to the API) as a failed sign-in: origin_mismatch", async () => {
    const lookAlike = `http://localhost:${await freePort()}`;
    await withVisit(async (v) => {
      const username = uniqueUsername("olga");
      const { credentialId } = await signUpAndIn(v, username, "Olga");
      const passkey = await onlyCredential(v);

      await withVisit(
        async (phished) => {
          expect(phished.page.url()).toBe(`${lookAlike}/`);
          await phished.device.add(passkey); // the same (synced) passkey, offered on the look-alike page
          await phished.page.locator("#sign-in-username").fill(username);
          await clickAndSettle(phished, "#sign-in-passkey");
          expect(await statusText(phished.page)).toBe("Your passkey could not be verified, so you are not signed in. (sign_in_failed)");
          expect((await phished.waitForCalls("/authentication/finish"))[0]?.status).toBe(401);
        },
        { relayTo: demo.keyport.origin },
        lookAlike,
      );

      await clickAndSettle(v, "#refresh"); // any action brings the list up to date
      const [renewed, failure] = await shown(v);
      expect(renewed?.text).toBe("Session renewed (tokens refreshed)");
      expect(failure).toMatchObject({
        type: "sign_in.failed",
        code: "origin_mismatch",
        failed: true,
        marker: true,
        text: "Sign-in failed: it came from a web page at an address this site does not accept (a look-alike site?)",
      });
      expect(failure?.passkey).toMatch(/^Passkey “.+” · .+$/);
      const recorded = (await v.waitForCalls("/events", 2, "GET")).at(-1)!.response as EventsJson;
      expect(recorded.events[1]).toMatchObject({ type: "sign_in.failed", code: "origin_mismatch", credentialId });
    });
  });

  it("follows each change without a reload: a rename with the old and new names, disable, enable, account details, refreshed tokens", async () => {
    await withVisit(async (v) => {
      const { credentialId: first } = await signUpAndIn(v, uniqueUsername("rita"), "Rita");
      await addPasskeyOnNewDevice(v);
      const oldName = (await passkeyNames(v)).get(first)!.name;
      const passkey = `li.passkey[data-credential-id="${first}"]`;

      await v.page.locator(`${passkey} input`).fill("Work laptop");
      await clickAndSettle(v, `${passkey} form button`);
      expect(await statusText(v.page)).toBe("Passkey renamed to “Work laptop”.");
      const [renamed] = await shown(v);
      expect(renamed).toMatchObject({ type: "passkey.renamed", text: `Passkey renamed from “${oldName}” to “Work laptop”`, failed: false });
      expect(renamed?.passkey).toMatch(/^Passkey “Work laptop” · /);

      await clickAndSettle(v, `${passkey} button[data-action="toggle"]`);
      expect((await shown(v))[0]?.text).toBe("Passkey disabled");
      await clickAndSettle(v, `${passkey} button[data-action="toggle"]`);
      expect((await shown(v))[0]?.text).toBe("Passkey enabled");

      await v.page.locator("#account-display-name").fill("Rita Example");
      await clickAndSettle(v, "#account-save");
      expect((await shown(v))[0]).toMatchObject({ type: "account.updated", text: "Display name changed", passkey: null });

      await clickAndSettle(v, "#refresh");
      expect(await shownTexts(v)).toEqual([
        "Session renewed (tokens refreshed)",
        "Display name changed",
        "Passkey enabled",
        "Passkey disabled",
        `Passkey renamed from “${oldName}” to “Work laptop”`,
        "Passkey added",
        "Signed in",
        "Account created",
      ]);
      expect(v.problems).toEqual([]);
    });
  });

  it("pages on with “Show more” until the end, without repeats; later changes go on top and keep the older pages", async () => {
    await withVisit(async (v) => {
      const { credentialId, idToken } = await signUpAndIn(v, uniqueUsername("paul"), "Paul");
      // Ten renames from another client: with the sign-up, the sign-in and the refresh below, 13 events.
      for (let i = 1; i <= 10; i += 1) {
        expect((await api("PATCH", `/credentials/${credentialId}`, idToken, { name: `Key ${i}` })).status).toBe(200);
      }
      await clickAndSettle(v, "#refresh");
      const all = await trail(idToken);
      expect(all).toHaveLength(13);

      expect((await shown(v)).map((e) => e.eventId)).toEqual(all.slice(0, PAGE_SIZE).map((e) => e.eventId));
      const more = v.page.locator("#activity-more");
      expect(await more.isVisible()).toBe(true);
      const firstPage = (await v.waitForCalls("/events", 2, "GET")).at(-1)!;
      const { nextCursor } = firstPage.response as EventsJson;
      expect(nextCursor).toEqual(expect.any(String));

      await more.click();
      await expect.poll(async () => (await shown(v)).length).toBe(13);
      const list = await shown(v);
      expect(list.map((e) => e.eventId)).toEqual(all.map((e) => e.eventId)); // in order, none twice
      const [, secondPage] = (await v.waitForCalls("/events", 3, "GET")).slice(-2);
      expect(secondPage?.search).toBe(`?limit=${PAGE_SIZE}&cursor=${encodeURIComponent(nextCursor!)}`);
      expect(await more.isVisible()).toBe(false); // the last page
      // Focus went to the first of the older events, where reading goes on.
      expect(await v.page.evaluate(() => document.activeElement?.getAttribute("data-event-id"))).toBe(all[PAGE_SIZE]!.eventId);

      // The other client's renames: described from its User-Agent string, the string itself in the title.
      const rename = list.find((e) => e.text === "Passkey renamed from “Key 1” to “Key 2”")!;
      expect(rename.source).toMatch(/^From Firefox on Windows, network address /);
      expect(rename.browserTitle).toBe(FIREFOX_ON_WINDOWS);

      // A change now goes on top; the older pages already shown stay, with no "Show more" needed.
      await v.page.locator(`li.passkey[data-credential-id="${credentialId}"] input`).fill("Laptop");
      await clickAndSettle(v, `li.passkey[data-credential-id="${credentialId}"] form button`);
      const after = await shown(v);
      expect(after.map((e) => e.text).slice(0, 2)).toEqual(["Passkey renamed from “Key 10” to “Laptop”", "Session renewed (tokens refreshed)"]);
      expect(after.map((e) => e.eventId)).toEqual((await trail(idToken)).map((e) => e.eventId));
      expect(await more.isVisible()).toBe(false);
      expect(v.problems).toEqual([]);
    });
  });

  it("never shows one user's events to another, in another browser or after a sign-out in the same page", async () => {
    await withVisit(async (v) => {
      const first = await signUpAndIn(v, uniqueUsername("ann"), "Ann");
      await addPasskeyOnNewDevice(v);
      await clickAndSettle(v, "#refresh");
      const firstTrail = await trail(first.idToken);
      expect(firstTrail.length).toBeGreaterThanOrEqual(4);
      await clickAndSettle(v, "#sign-out");
      expect(await v.page.locator("#activity > li").count()).toBe(0);

      // Someone else signs up and in on the same page, with a device of their own.
      await v.device.swap();
      const second = await signUpAndIn(v, uniqueUsername("ben"), "Ben");
      const list = await shown(v);
      const secondTrail = await trail(second.idToken);
      expect(list.map((e) => e.eventId)).toEqual(secondTrail.map((e) => e.eventId));
      expect(list.map((e) => e.text)).toEqual(["Signed in", "Account created"]);
      const firstIds = new Set(firstTrail.map((e) => e.eventId));
      expect(secondTrail.filter((e) => firstIds.has(e.eventId) || e.credentialId !== second.credentialId)).toEqual([]);

      // A page of the first user's trail cannot be read with the second user's token, even by its cursor.
      const page = await api("GET", "/events?limit=1", first.idToken);
      const cursor = (page.json as EventsJson).nextCursor!;
      const stolen = await api("GET", `/events?cursor=${encodeURIComponent(cursor)}`, second.idToken);
      expect(stolen.status).toBe(400);
      expect((stolen.json as ErrorJson).error.code).toBe("cursor_invalid");

      // And in another browser, the second user sees their own list only.
      const passkey = await onlyCredential(v);
      await withVisit(async (elsewhere) => {
        await elsewhere.device.add(passkey);
        await clickAndSettle(elsewhere, "#sign-in-passkey");
        await expectSignedIn(elsewhere);
        const theirs = (await shown(elsewhere)).map((e) => e.eventId);
        expect(theirs.filter((id) => id !== null && firstIds.has(id))).toEqual([]);
        expect(theirs).toEqual((await trail(second.idToken)).map((e) => e.eventId));
      });
    });
  });

  // It moves the server's clock on, to the start of an hour, for the rest of this file.
  it("counts failed sign-ins past the hourly bound on one line that stands out: “N more failed sign-ins between … and …”", async () => {
    const hour = 60 * 60_000;
    // The bound counts per clock hour: start just after one begins, so that every attempt falls in it.
    demo.keyport.clock.advance(hour - (demo.keyport.clock.now() % hour) + 60_000);
    const locale = "en-GB";
    const timeZone = "UTC";
    await withVisit(
      async (v) => {
        const { credentialId: first } = await signUpAndIn(v, uniqueUsername("bea"), "Bea");
        const firstCredential = await onlyCredential(v);
        await addPasskeyOnNewDevice(v);
        const secondCredential = await onlyCredential(v);
        await clickAndSettle(v, `li.passkey[data-credential-id="${first}"] button[data-action="toggle"]`);
        await clickAndSettle(v, "#sign-out");

        // 20 failures an hour are kept one by one (FAILED_SIGN_IN_BOUND); the 21st and 22nd are counted.
        await v.device.swap();
        await v.device.add(firstCredential);
        for (let attempt = 1; attempt <= 22; attempt += 1) {
          await clickAndSettle(v, "#sign-in-passkey");
          expect(await statusText(v.page)).toMatch(/\(credential_disabled\)$/);
        }
        await signInWith(v, secondCredential);
        await expectSignedIn(v);

        // Lists after the sign-in, the added passkey, the disabling, and the last sign-in (none while signed out).
        const events = ((await v.waitForCalls("/events", 4, "GET"))[3]!.response as EventsJson).events;
        const counted = events[1]!;
        expect(counted).toMatchObject({ type: "sign_in.failed_suppressed", count: 2 });
        const { windowStart, windowEnd } = counted as EventJson & { windowStart: string; windowEnd: string };
        const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium", timeZone });
        const clockTime = new Intl.DateTimeFormat(locale, { timeStyle: "short", timeZone });
        const sameDay = windowStart.slice(0, 10) === windowEnd.slice(0, 10); // in UTC, the browser's zone here

        const [signedIn, suppressed, ...failures] = await shown(v);
        expect(signedIn?.text).toBe("Signed in");
        expect(suppressed).toMatchObject({
          type: "sign_in.failed_suppressed",
          failed: true,
          marker: true,
          passkey: null,
          // An end on the day the hour starts is written as a time of day alone.
          text: `2 more failed sign-ins between ${dateTime.format(new Date(windowStart))} and ${(sameDay ? clockTime : dateTime).format(new Date(windowEnd))}`,
        });
        expect(suppressed?.source).toMatch(/^Latest from (Headless )?Chrome on Linux, network address /);
        const times = await v.page.locator("#activity > li").nth(1).locator(".activity-text time").evaluateAll((nodes) => nodes.map((t) => t.getAttribute("datetime")));
        expect(times).toEqual([windowStart, windowEnd]);
        expect(failures).toHaveLength(PAGE_SIZE - 2);
        expect(failures.every((e) => e.failed && e.text === "Sign-in failed: this passkey is disabled")).toBe(true);
      },
      { locale, timezoneId: timeZone },
    );
  });

  // Last: it moves the server's clock past the ID token's life, for the rest of this file.
  it("signs out with an ID token the server finds expired: the sign-out goes through, unrecorded", async () => {
    await withVisit(async (v) => {
      const { idToken } = await signUpAndIn(v, uniqueUsername("tim"), "Tim");
      const { refreshToken } = (await v.waitForCalls("/authentication/finish"))[0]!.response as TokensJson;
      demo.keyport.clock.advance(2 * 60 * 60_000); // the browser's clock still finds the token valid

      await clickAndSettle(v, "#sign-out");
      expect(await statusText(v.page)).toBe("Signed out.");
      const signOuts = await v.waitForCalls("/authentication/sign-out", 2);
      expect(signOuts.map((call) => [call.authorization, call.status])).toEqual([
        [`Bearer ${idToken}`, 401],
        [undefined, 200],
      ]);
      expect((signOuts[0]!.response as ErrorJson).error.code).toBe("token_expired");
      expect(signOuts.map((call) => call.body)).toEqual([{ refreshToken }, { refreshToken }]);
      expect(await v.page.locator("#signed-out").isVisible()).toBe(true);

      // Nobody could be named for it, so the trail goes from the sign-in straight to the next one.
      await clickAndSettle(v, "#sign-in-passkey");
      await expectSignedIn(v);
      expect(await shownTexts(v)).toEqual(["Signed in", "Signed in", "Account created"]);
    });
  });
});
