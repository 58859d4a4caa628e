// A JSONField's editor: a textarea of the value as indented JSON. Text that
// does not parse is flagged here at once; it is still sent as text, so the
// adapter refuses it with a field error rather than the form guessing.
import React, { useState } from 'react';
import { FormGroup, FormMessage, Label, TextArea } from '@adminjs/design-system';
import { flat, type EditPropertyProps } from 'adminjs';

function initialText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value; // text sent back after a refused save
  return JSON.stringify(value, null, 2);
}

const JsonEdit: React.FC<EditPropertyProps> = ({ property, record, onChange }) => {
  const [text, setText] = useState(() => initialText(flat.get(record.params, property.path)));
  const [invalid, setInvalid] = useState<string | null>(null);
  const error = record.errors?.[property.path];
  return (
    <FormGroup error={Boolean(error ?? invalid)}>
      <Label htmlFor={property.path} required={property.isRequired}>
        {property.label}
      </Label>
      <TextArea
        id={property.path}
        data-testid={`json-${property.path}`}
        rows={8}
        width={1}
        style={{ fontFamily: 'monospace' }}
        value={text}
        onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => {
          const next = event.target.value;
          setText(next);
          try {
            JSON.parse(next);
            setInvalid(null);
          } catch (err) {
            setInvalid(err instanceof Error ? err.message : 'not JSON');
          }
          onChange(property.path, next);
        }}
      />
      <FormMessage>{error?.message ?? (invalid ? `Not valid JSON: ${invalid}` : undefined)}</FormMessage>
    </FormGroup>
  );
};

export default JsonEdit;
