// A drifted document's MigrationError (djongoose/admin's showMigrationErrors):
// on the show page a red box with the error's message, which names the
// fields that differ from the model; in the list a "drifted" badge whose
// tooltip is the message. Nothing for a document that matches its model.
// Self-contained: AdminJS bundles this file alone, from the installed package.
import React from 'react';
import { Badge, Box, MessageBox, Text } from '@adminjs/design-system';
import type { BasePropertyProps } from 'adminjs';

const MigrationErrorView: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const message = record?.params?.[property.path];
  if (typeof message !== 'string' || message === '') return null;
  if (where === 'list') {
    return (
      <Badge variant="danger" size="sm" title={message} data-testid="migration-error-badge">
        drifted
      </Badge>
    );
  }
  return (
    <Box mb="xl">
      <MessageBox variant="danger" message="This document does not match its model (MigrationError)">
        <Text data-testid="migration-error" style={{ whiteSpace: 'pre-wrap' }}>
          {message}
        </Text>
      </MessageBox>
    </Box>
  );
};

export default MigrationErrorView;
