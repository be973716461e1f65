/** Word lists for generated data: international names, companies, topics and note lines. */

export const FIRST_NAMES = [
  'Ada', 'Alan', 'Amara', 'Anders', 'Aoife', 'Ayşe', 'Bea', 'Björn', 'Camille', 'Carlos', 'Chen', 'Chiara',
  'Dagny', 'Daniel', 'Dário', 'Elif', 'Élodie', 'Emeka', 'Emma', 'Erik', 'Fatima', 'Felix', 'François',
  'Grace', 'Greta', 'Hannah', 'Hiro', 'Ines', 'Ingrid', 'Iván', 'Jakub', 'Jana', 'José', 'Julia', 'Kai',
  'Kateřina', 'Kofi', 'Lars', 'Léa', 'Leila', 'Liam', 'Lucía', 'Maja', 'Malik', 'Marta', 'Mateo', 'Mei',
  'Mika', 'Nadia', 'Niamh', 'Nikolai', 'Noah', 'Nour', 'Olga', 'Omar', 'Oskar', 'Paula', 'Pedro', 'Priya',
  'Rafael', 'Ravi', 'Rosa', 'Saanvi', 'Siobhán', 'Sofia', 'Søren', 'Tariq', 'Tereza', 'Thabo', 'Tomás',
  'Uma', 'Valentina', 'Wen', 'Yara', 'Yusuf', 'Zeynep', 'Zoë', 'Żaneta',
] as const;

export const LAST_NAMES = [
  'Abebe', 'Andersson', 'Ångström', 'Bauer', 'Becker', 'Błaszczyk', 'Brennan', 'Byrne', 'Castillo', 'Chowdhury',
  'Costa', 'Dąbrowski', 'Dubois', 'Düring', 'Eriksen', 'Fernández', 'Fischer', 'García', 'Gonçalves', 'Haddad',
  'Hansen', 'Horvát', 'Ibáñez', 'Ishikawa', 'Jansen', 'Kapoor', 'Kowalczyk', 'Kuznetsova', 'Larsen', 'Lefèvre',
  'Lindqvist', 'López', 'Mbeki', 'Moreau', 'Müller', 'Murphy', 'Nakamura', 'Novák', 'Nowak', 'Okafor',
  "O'Connor", 'Øberg', 'Papadopoulos', 'Pereira', 'Petrović', 'Quintero', 'Rossi', 'Sánchez', 'Schäfer',
  'Silva', 'Søndergaard', 'Szabó', 'Tanaka', 'Thompson', 'Tran', 'Van der Berg', 'Vasquez', 'Wagner', 'Weiß',
  'Wójcik', 'Yılmaz', 'Zhang', 'Ziegler',
] as const;

export const COMPANY_WORDS = [
  'Alder', 'Amber', 'Arctic', 'Atlas', 'Beacon', 'Birch', 'Blue', 'Bright', 'Cedar', 'Cobalt', 'Copper',
  'Crane', 'Delta', 'Ember', 'Falcon', 'Fjord', 'Granite', 'Harbor', 'Helix', 'Iris', 'Juniper', 'Kestrel',
  'Lumen', 'Maple', 'Meridian', 'Nimbus', 'North', 'Oak', 'Orbit', 'Pine', 'Polar', 'Quartz', 'Raven',
  'River', 'Saffron', 'Silver', 'Solace', 'Summit', 'Tidal', 'Vertex', 'Willow', 'Zephyr',
] as const;

export const COMPANY_SUFFIXES = [
  'Labs', 'Logistics', 'Bank', 'Foods', 'Health', 'Studio', 'Systems', 'Energy', 'Partners', 'Analytics',
  'GmbH', 'AG', 'Ltd', 'SAS', 'BV', 'Group', 'Collective', 'Foundation', 'Bakery', 'Robotics',
] as const;

export const INDUSTRIES = [
  'fintech', 'logistics', 'food', 'ngo', 'saas', 'healthcare', 'retail', 'energy', 'manufacturing', 'media',
  'education', 'public sector',
] as const;

export const SIZES = ['1-10', '11-50', '51-200', '201-500', '501-1000', '1000+'] as const;

export const TITLES = [
  'CEO', 'CTO', 'CFO', 'COO', 'Head of Operations', 'Head of Finance', 'VP Engineering', 'Product Manager',
  'Procurement Lead', 'Managing Director', 'Founder', 'Programme Director', 'Data Lead', 'Office Manager',
  'Head of Partnerships', 'IT Manager',
] as const;

export const SOURCES = ['referral', 'website', 'event', 'linkedin', 'cold outreach', 'newsletter', 'partner'] as const;

export const TOPICS = [
  'the Q3 roadmap', 'pricing', 'the data migration', 'onboarding', 'the renewal', 'the pilot results',
  'budget approval', 'security review', 'the workshop agenda', 'invoice questions', 'the new warehouse',
  'hiring plans', 'reporting dashboards', 'the board pack', 'contract terms', 'the integration timeline',
  'GDPR questions', 'the rollout plan', 'next year\'s budget', 'training for the team',
] as const;

export const SUMMARY_TEMPLATES: Readonly<Record<string, readonly string[]>> = {
  email: ['Sent recap of {t}', 'Replied about {t}', 'Followed up on {t}', 'Shared draft on {t}', 'Question about {t}'],
  call: ['Call about {t}', 'Quick check-in call', 'Phone call re {t}', 'Discussed {t} by phone'],
  meeting: ['Meeting on {t}', 'Workshop: {t}', 'Quarterly review', 'Lunch, talked about {t}', 'On-site visit, {t}'],
  message: ['Message about {t}', 'Confirmed next meeting', 'Quick question on {t}'],
  note: ['Note on {t}', 'Internal note: {t}', 'Heard about changes in {t}'],
};

export const NOTE_LINES = [
  'They want a decision before the end of the quarter.',
  'Budget is approved in principle, waiting on the CFO.',
  'Asked us to send two reference customers.',
  'Concerned about the timeline; suggested a phased start.',
  'Their team is short-staffed until after the holidays.',
  'Liked the proposal, wants a lighter version for phase one.',
  'Mentioned a competitor quote roughly 20% below ours.',
  'Next step: schedule a demo with the operations team.',
  'Procurement needs a signed NDA before sharing data.',
  'Very positive about the last workshop.',
  'Will introduce us to their sister company.',
  'Needs the invoice split across two cost centres.',
  'Follow up in two weeks.',
  'Renewal conversation should start in January.',
  'Asked about training for new hires.',
] as const;

export const LOST_REASONS = ['price', 'went with a competitor', 'no budget', 'timing', 'project cancelled', 'no decision'] as const;

export const DEAL_KINDS = [
  'Audit', 'Pilot', 'Renewal', 'Rollout', 'Workshop series', 'Data platform', 'Strategy review', 'Retainer',
  'Migration', 'Training', 'Integration', 'Support contract',
] as const;

export const REMINDER_TEXTS = [
  'Send proposal', 'Follow up on quote', 'Check in after workshop', 'Send invoice', 'Book quarterly review',
  'Share case study', 'Call about renewal', 'Send contract draft', 'Ask for referral', 'Prepare demo',
] as const;
