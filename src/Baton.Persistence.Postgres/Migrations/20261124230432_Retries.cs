using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Baton.Persistence.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Retries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "retry_attempts",
                table: "work_items",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "retry_delay_seconds",
                table: "work_items",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<List<int>>(
                name: "retry_exit_codes",
                table: "work_items",
                type: "integer[]",
                nullable: false);

            migrationBuilder.AddColumn<int>(
                name: "retries",
                table: "plan_items",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "retry_attempts",
                table: "work_items");

            migrationBuilder.DropColumn(
                name: "retry_delay_seconds",
                table: "work_items");

            migrationBuilder.DropColumn(
                name: "retry_exit_codes",
                table: "work_items");

            migrationBuilder.DropColumn(
                name: "retries",
                table: "plan_items");
        }
    }
}
