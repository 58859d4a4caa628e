// The edit form's input for an ImageField/FileField: the current file's
// thumbnail and a file picker. The chosen File goes into the record's
// params; AdminJS sends it as multipart, and the adapter hands it to the
// field, which checks and stores it (the browser's type is not trusted).
import React, { useState } from 'react';
import { Box, FormGroup, FormMessage, Label } from '@adminjs/design-system';
import type { EditPropertyProps } from 'adminjs';
import { mediaUrl } from './media-url';

const UploadEdit: React.FC<EditPropertyProps> = ({ property, record, onChange }) => {
  const stored = record.params?.[property.path];
  const [chosen, setChosen] = useState<string | null>(null);
  const url = typeof stored === 'string' ? mediaUrl(property, stored) : null;
  const error = record.errors?.[property.path];
  const custom = property.custom as { image?: boolean } | undefined;
  return (
    <FormGroup error={Boolean(error)}>
      <Label htmlFor={property.path} required={property.isRequired}>
        {property.label}
      </Label>
      {url && custom?.image !== false ? (
        <Box mb="default">
          <img src={url} alt={String(stored)} style={{ maxWidth: 160, maxHeight: 160 }} />
        </Box>
      ) : null}
      <input
        id={property.path}
        name={property.path}
        type="file"
        accept={custom?.image === false ? undefined : 'image/*'}
        data-testid={`upload-${property.path}`}
        onChange={(event) => {
          const file = event.target.files?.[0];
          setChosen(file ? file.name : null);
          if (file) onChange(property.path, file);
        }}
      />
      {chosen ? <Box mt="sm">{chosen}</Box> : null}
      <FormMessage>{error?.message}</FormMessage>
    </FormGroup>
  );
};

export default UploadEdit;
