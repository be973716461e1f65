/**
 * The column names of contact sheets: which header (case-insensitive) feeds which contact field,
 * for Google, Outlook, Thunderbird, LinkedIn, HubSpot/Salesforce/Zoho/Freshdesk, German and French
 * sheets and generic ones (docs/import-export.md, "Reading CSV"). Read by ./csv.ts.
 */
import type { PostalAddress } from './types.js';

/** A contact field a column can feed. `given`/`middle`/`family` build the name when there is no full name. */
export type ContactTarget =
  | 'name' | 'given' | 'middle' | 'family' | 'email' | 'phone' | 'company' | 'title' | 'tags'
  | 'groups' | 'birthday' | 'location' | 'city' | 'country' | 'links' | 'notes' | 'ignore'
  | 'department' | 'nickname' | 'anniversary' | 'birth_year' | 'birth_month' | 'birth_day'
  | 'id' | 'addresses' | 'street' | 'region' | 'postcode' | 'connected_on';

export const CONTACT_TARGETS: ReadonlySet<string> = new Set<ContactTarget>([
  'name', 'given', 'middle', 'family', 'email', 'phone', 'company', 'title', 'tags', 'groups',
  'birthday', 'location', 'city', 'country', 'links', 'notes', 'ignore', 'department', 'nickname',
  'anniversary', 'street', 'region', 'postcode',
]);

/** Spellings accepted in `--map` for each target, besides the target's own name. */
export const TARGET_ALIASES: Record<string, ContactTarget> = {
  emails: 'email', phones: 'phone', tag: 'tags', note: 'notes', link: 'links', url: 'links',
  first_name: 'given', last_name: 'family', given_name: 'given', family_name: 'family', '-': 'ignore',
};

/** Exact header names (lower-cased) of Google, Outlook, Thunderbird, LinkedIn and generic sheets. */
export const CONTACT_HEADERS: Record<string, ContactTarget> = {
  id: 'id', addresses: 'addresses',
  name: 'name', 'full name': 'name', 'display name': 'name', fn: 'name', contact: 'name',
  'given name': 'given', 'first name': 'given', firstname: 'given', first: 'given',
  'additional name': 'middle', 'middle name': 'middle',
  'family name': 'family', 'last name': 'family', lastname: 'family', surname: 'family', last: 'family',
  email: 'email', emails: 'email', 'e-mail': 'email', 'email address': 'email', 'e-mail address': 'email',
  'e-mail 2 address': 'email', 'e-mail 3 address': 'email', mail: 'email',
  'primary email': 'email', 'secondary email': 'email', 'email 2': 'email', 'email 3': 'email',
  'work phone': 'phone', 'mobile number': 'phone', 'pager number': 'phone', 'fax number': 'phone',
  phone: 'phone', phones: 'phone', telephone: 'phone', tel: 'phone', mobile: 'phone', cell: 'phone',
  'phone number': 'phone', 'business phone': 'phone', 'business phone 2': 'phone', 'mobile phone': 'phone',
  'home phone': 'phone', 'home phone 2': 'phone', 'primary phone': 'phone', 'other phone': 'phone',
  'company main phone': 'phone', 'car phone': 'phone',
  company: 'company', organization: 'company', organisation: 'company', 'organization name': 'company',
  org: 'company', employer: 'company',
  department: 'department', 'organization department': 'department', nickname: 'nickname',
  anniversary: 'anniversary', 'connected on': 'connected_on', 'birth year': 'birth_year', 'birth month': 'birth_month', 'birth day': 'birth_day',
  title: 'title', 'job title': 'title', 'organization title': 'title', position: 'title', role: 'title',
  tags: 'tags', tag: 'tags', categories: 'tags', category: 'tags', labels: 'groups', 'group membership': 'groups',
  groups: 'tags',
  birthday: 'birthday', bday: 'birthday', 'date of birth': 'birthday', dob: 'birthday', birthdate: 'birthday',
  location: 'location', city: 'city', country: 'country', town: 'city', street: 'street', address: 'street',
  'street address': 'street', state: 'region', region: 'region', province: 'region', county: 'region',
  zip: 'postcode', 'zip code': 'postcode', postcode: 'postcode', 'postal code': 'postcode',
  links: 'links', link: 'links', url: 'links', website: 'links', 'web page': 'links', linkedin: 'links',
  'web page 1': 'links', 'web page 2': 'links', 'personal web page': 'links', 'profile url': 'links',
  notes: 'notes', note: 'notes', comments: 'notes',
  // HubSpot, Salesforce and Zoho contact exports.
  'company name': 'company', 'account name': 'company', 'phone number 2': 'phone', 'mobile phone number': 'phone',
  // Sheets saved by Excel in a German or French locale (and Outlook's German and French exports).
  vorname: 'given', 'weitere vornamen': 'middle', nachname: 'family', firma: 'company', unternehmen: 'company',
  abteilung: 'department', 'e-mail-adresse': 'email', 'e-mail 2: adresse': 'email', 'e-mail 3: adresse': 'email',
  telefon: 'phone', telefonnummer: 'phone', 'telefon geschäftlich': 'phone', 'telefon privat': 'phone',
  mobiltelefon: 'phone', handy: 'phone', 'telefon geschäftlich 2': 'phone', 'telefon (privat)': 'phone', 'telefon (privat 2)': 'phone',
  'telefon privat 2': 'phone', 'telefon firma': 'phone', haupttelefon: 'phone', autotelefon: 'phone', 'mobiltelefon 2': 'phone',
  'weiteres telefon': 'phone', jahrestag: 'anniversary', geburtstag: 'birthday', geburtsdatum: 'birthday', notizen: 'notes',
  bemerkungen: 'notes', ort: 'city', stadt: 'city', plz: 'postcode', postleitzahl: 'postcode', 'straße': 'street',
  strasse: 'street', land: 'country', webseite: 'links', kategorien: 'tags',
  'prénom': 'given', nom: 'family', 'deuxième prénom': 'middle', 'société': 'company', entreprise: 'company',
  fonction: 'title', 'adresse de messagerie': 'email', 'adresse e-mail': 'email', courriel: 'email',
  'téléphone': 'phone', 'téléphone bureau': 'phone', 'tél. bureau': 'phone', 'téléphone mobile': 'phone',
  portable: 'phone', anniversaire: 'birthday', 'date de naissance': 'birthday', ville: 'city', 'code postal': 'postcode',
  pays: 'country', rue: 'street', 'catégories': 'tags',
};

/** Numbered Google columns: `E-mail 2 - Value`, `Organization 1 - Name`, `Address 1 - City` … */
export const CONTACT_PATTERNS: Array<[RegExp, ContactTarget]> = [
  [/^e-?mail \d+ - value$/, 'email'],
  [/^phone \d+ - value$/, 'phone'],
  [/^organi[sz]ation \d+ - name$/, 'company'],
  [/^organi[sz]ation \d+ - title$/, 'title'],
  [/^organi[sz]ation \d+ - department$/, 'department'],
  [/^website \d+ - value$/, 'links'],
];

/**
 * Address columns, grouped so each exporter's addresses stay apart: Google `Address 1 - City`,
 * Outlook `Business Street 2` / `Home Postal Code`, Thunderbird `Work ZipCode`.
 */
export type AddressPart = keyof PostalAddress | 'street2' | 'formatted';
export interface AddressColumn {
  group: string;
  part: AddressPart;
}

export const ADDRESS_PART: Record<string, AddressPart> = {
  street: 'street', 'street 2': 'street2', 'street 3': 'street2', address: 'street', 'address 2': 'street2',
  city: 'city', 'po box': 'pobox', 'address po box': 'pobox', region: 'region', state: 'region',
  'postal code': 'postcode', zipcode: 'postcode', 'zip code': 'postcode', country: 'country', 'country/region': 'country',
  'extended address': 'extended', type: 'type', label: 'type', formatted: 'formatted',
};

export const GROUP_TYPE: Record<string, string> = { business: 'work', work: 'work', home: 'home', other: 'other' };

export function addressColumn(key: string): AddressColumn | undefined {
  const google = /^address (\d+) - (.+)$/.exec(key);
  if (google && ADDRESS_PART[google[2]]) return { group: `address ${google[1]}`, part: ADDRESS_PART[google[2]] };
  const named = /^(business|home|other|work) (.+)$/.exec(key);
  if (named && ADDRESS_PART[named[2]] && named[2] !== 'type' && named[2] !== 'label') return { group: named[1], part: ADDRESS_PART[named[2]] };
  return germanOutlookAddress(key);
}

/** A German Outlook's parts of an address, and which of its three groups each belongs to. */
const GERMAN_ADDRESS_PART: Record<string, AddressPart> = {
  'straße': 'street', strasse: 'street', 'straße 2': 'street2', 'straße 3': 'street2', 'strasse 2': 'street2', 'strasse 3': 'street2',
  ort: 'city', region: 'region', 'bundesland/kanton': 'region', postleitzahl: 'postcode', 'land/region': 'country', postfach: 'pobox',
};

/**
 * German Outlook: `Straße geschäftlich 2`, `Ort privat`, `Bundesland/Kanton privat`, and for the
 * third address `Weitere Straße`, `Weiterer Ort`, `Weiteres/r Bundesland/Kanton`, `Weiteres/e Land/Region`.
 */
function germanOutlookAddress(key: string): AddressColumn | undefined {
  const named = /^(straße|strasse|ort|region|bundesland\/kanton|postleitzahl|land\/region|postfach) (geschäftlich|privat)( [23])?$/.exec(key);
  if (named) {
    const part = GERMAN_ADDRESS_PART[`${named[1]}${named[3] ?? ''}`];
    return part ? { group: named[2] === 'privat' ? 'home' : 'business', part } : undefined;
  }
  const other = /^weiter(?:e|er|es|es\/r|es\/e) (.+)$/.exec(key);
  const part = other ? GERMAN_ADDRESS_PART[other[1]] : undefined;
  return part ? { group: 'other', part } : undefined;
}

/** Columns that only describe other columns (labels, types) or carry export boilerplate. */
export const NOISE_COLUMNS: RegExp[] = [
  /^.+ \d+ - (type|label)$/, /^e-mail( \d)? (type|display name)$/, /^(priority|sensitivity|private|gender)$/,
  /^(yomi name|.+ yomi|phonetic .+|file as|initials|photo)$/,
  // German Outlook's: `E-Mail-Typ`, `E-Mail 2: Typ`, `E-Mail: Angezeigter Name`, `Priorität` …
  /^e-mail(-typ|( \d)?: (typ|angezeigter name))$/, /^(priorität|vertraulichkeit|geschlecht|privat|initialen)$/,
];

export interface ColumnPlan {
  header: string;
  target: ContactTarget | undefined;
  address?: AddressColumn;
  /** Google's `Event 1 - Type` / `Event 1 - Value`: a dated event and its label. */
  event?: { group: string; part: 'type' | 'value' };
}

export function eventColumn(key: string): ColumnPlan['event'] {
  const m = /^event (\d+) - (type|label|value)$/.exec(key);
  return m ? { group: m[1], part: m[2] === 'value' ? 'value' : 'type' } : undefined;
}

/** How much a row looks like a contacts header: the number of cells naming a known column. */
export function contactHeaderScore(cells: string[]): number {
  return cells.filter((c) => {
    const key = c.trim().toLowerCase();
    return CONTACT_HEADERS[key] !== undefined || CONTACT_PATTERNS.some(([re]) => re.test(key)) || addressColumn(key) !== undefined;
  }).length;
}
