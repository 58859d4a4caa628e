// An ImageField's thumbnail in the list and show views; a FileField (no
// `custom.image`) shows a link to the file instead.
import React from 'react';
import { Box, Label, Link, Text } from '@adminjs/design-system';
import type { BasePropertyProps } from 'adminjs';
import { mediaUrl } from './media-url';

const Thumbnail: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const name = record?.params?.[property.path];
  const url = mediaUrl(property, name);
  const custom = property.custom as { image?: boolean } | undefined;
  const size = where === 'list' ? 40 : 160;
  const body = !url ? (
    <Text color="grey60">—</Text>
  ) : custom?.image === false ? (
    <Link href={url} target="_blank" rel="noreferrer">
      {String(name)}
    </Link>
  ) : (
    <img
      src={url}
      alt={String(name)}
      data-testid={`thumbnail-${property.path}`}
      style={{ maxWidth: size, maxHeight: size, objectFit: 'contain', borderRadius: 4 }}
    />
  );
  if (where === 'list') return body;
  return (
    <Box mb="xl">
      <Label>{property.label}</Label>
      {body}
    </Box>
  );
};

export default Thumbnail;
