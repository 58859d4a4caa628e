// Type tests for the enforceSchema plugin's options.
import mongoose from 'mongoose';
import { enforceSchema, type EnforceSchemaOptions } from '../../plugins/enforce-schema/index.js';

const schema = new mongoose.Schema({ name: String });
schema.plugin(enforceSchema);
schema.plugin(enforceSchema, {});
schema.plugin(enforceSchema, { strict: true });
schema.plugin(enforceSchema, { strict: false });

const good: EnforceSchemaOptions = { strict: true };
void good;

// @ts-expect-error strict is a boolean, not a string
const word: EnforceSchemaOptions = { strict: 'yes' };
void word;

// @ts-expect-error an unknown option
const typo: EnforceSchemaOptions = { strickt: true };
void typo;

// @ts-expect-error strict is a boolean, not a number
schema.plugin(enforceSchema, { strict: 1 });
