import type { MappingDefinition } from '../mapping-definition';

/**
 * A HubSpot CRM v3 contact (`GET /crm/v3/objects/contacts/{id}`: `{ id,
 * properties: { email, firstname, lastname, phone, company, lifecyclestage,
 * createdate, lastmodifieddate, hs_object_id }, createdAt, updatedAt,
 * archived }`) as an internal contact. The email is trimmed and lowercased
 * and must hold an `@`; `fullName` joins the non-empty names (one-way: it has
 * a `transform` and no `reverse`); timestamps are normalized to ISO 8601 UTC.
 */
export const HUBSPOT_CONTACT_MAPPING: MappingDefinition = {
  integrationType: 'hubspot',
  entity: 'contact',
  fields: [
    { externalField: 'id', internalField: 'externalId', type: 'string', required: true },
    {
      externalField: 'properties.email',
      internalField: 'email',
      type: 'string',
      transform: '$lowercase($trim(value))',
      reverse: 'value',
      validate: '$contains(value, "@")',
      message: 'must be an email address',
    },
    { externalField: 'properties.firstname', internalField: 'firstName', type: 'string' },
    { externalField: 'properties.lastname', internalField: 'lastName', type: 'string' },
    {
      externalField: 'properties.firstname',
      internalField: 'fullName',
      type: 'string',
      transform: '$join(record.properties.[firstname, lastname][$type($) = "string"].$trim($)[$ != ""], " ")',
    },
    { externalField: 'properties.phone', internalField: 'phone', type: 'string' },
    { externalField: 'properties.company', internalField: 'company', type: 'string' },
    { externalField: 'properties.lifecyclestage', internalField: 'stage', type: 'string', default: 'subscriber' },
    { externalField: 'createdAt', internalField: 'createdAt', type: 'date-time', required: true },
    { externalField: 'updatedAt', internalField: 'updatedAt', type: 'date-time' },
  ],
};
