import { Router } from 'express';
import { openApiDocument } from '@truceline/shared/api-description';
import { compressJson } from '../compress-json.js';

/**
 * `GET /api/openapi.json`: the OpenAPI 3.1 description, generated from the shared route table
 * and schemas. No token: it describes the interface (which is published with the source), not
 * data, and a client needs it before it has an account.
 */
export function openApiRoutes(): Router {
  const router = Router();
  // Built once: it depends only on the code.
  const body = JSON.stringify(openApiDocument());
  // About 150 KB (each route's schemas inline), a tenth of that compressed.
  router.get('/openapi.json', compressJson, (_req, res) => {
    res.type('application/json').send(body);
  });
  return router;
}
