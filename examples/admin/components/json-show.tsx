// A JSONField on the show page: the value as indented JSON.
import React from 'react';
import { Box, Label } from '@adminjs/design-system';
import { flat, type ShowPropertyProps } from 'adminjs';

const JsonShow: React.FC<ShowPropertyProps> = ({ property, record }) => {
  const value: unknown = flat.get(record.params, property.path);
  return (
    <Box mb="xl">
      <Label>{property.label}</Label>
      <pre data-testid={`json-${property.path}`} style={{ whiteSpace: 'pre-wrap' }}>
        {value === undefined ? '—' : JSON.stringify(value, null, 2)}
      </pre>
    </Box>
  );
};

export default JsonShow;
